import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './services.mjs';

/** Runs `node <dir>/<entry>` to completion with the service's environment; rejects on a non-zero exit. */
export function runNode(service, entry, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, service.dir, entry)], { env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${service.name}: ${entry} exited with ${code}`)),
    );
  });
}
