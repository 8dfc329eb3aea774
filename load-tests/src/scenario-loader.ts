import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyScenario } from './scenario';
import { validateScenario } from './validate-scenario';

/** `load-tests/scenarios`, from both `src/` (tests) and `dist/` (built CLI). */
export const SCENARIOS_DIR = path.resolve(__dirname, '..', 'scenarios');

/** A bare name (`health-chatbot-api`) is a file in `SCENARIOS_DIR`; anything with a slash or `.js` is a path. */
export function resolveScenarioPath(nameOrPath: string, cwd = process.cwd()): string {
  const isPath = nameOrPath.includes('/') || nameOrPath.includes('\\') || nameOrPath.endsWith('.js');
  return isPath ? path.resolve(cwd, nameOrPath) : path.join(SCENARIOS_DIR, `${nameOrPath}.js`);
}

export async function listScenarios(): Promise<string[]> {
  const files = await readdir(SCENARIOS_DIR);
  return files
    .filter((file) => file.endsWith('.js') && file !== 'index.js')
    .map((file) => file.slice(0, -'.js'.length))
    .sort();
}

export async function loadScenario(nameOrPath: string): Promise<AnyScenario> {
  const file = resolveScenarioPath(nameOrPath);
  // POSIX paths work as import specifiers and under jest's require(); Windows drive letters need a file URL.
  const specifier = process.platform === 'win32' ? pathToFileURL(file).href : file;
  let module: { default?: unknown };
  try {
    module = (await import(specifier)) as { default?: unknown };
  } catch (error: unknown) {
    const known = await listScenarios().catch(() => []);
    throw new Error(`cannot load scenario ${nameOrPath} (${file}): ${String(error)}\nknown: ${known.join(', ')}`);
  }
  return validateScenario(module.default, file);
}
