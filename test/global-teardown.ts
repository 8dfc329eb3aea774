import { dropLeftoverTestDatabases } from '@casebook/testing';

/** Per-file databases are dropped by their files; this catches those of a file that crashed. */
export default async function globalTeardown(): Promise<void> {
  await dropLeftoverTestDatabases();
}
