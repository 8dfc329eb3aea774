import { dropLeftoverTestDatabases } from '@casebook/testing';

/** Per-file databases are dropped by their files; this catches stale ones of files that crashed. */
export default async function globalTeardown(): Promise<void> {
  await dropLeftoverTestDatabases();
}
