import { readFileSync } from 'node:fs';
import path from 'node:path';

let cached: readonly string[] | undefined;

/**
 * The Big List of Naughty Strings (MIT, see fixtures/blns.LICENSE), copied into the repository so tests
 * do not depend on anything outside it: every endpoint and engine must answer each with a verdict or a
 * clear 4xx, never a crash or a hang.
 */
export function naughtyStrings(): readonly string[] {
  cached ??= Object.freeze(JSON.parse(readFileSync(path.join(__dirname, '../fixtures/blns.json'), 'utf8')) as string[]);
  return cached;
}
