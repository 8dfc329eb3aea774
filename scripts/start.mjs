// `pnpm start`: check Postgres and Redis, create and migrate the databases, seed demo data, run every
// service and the worker with prefixed logs, print where everything is, stop it all on Ctrl-C.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { preflight } from './lib/preflight.mjs';
import { runNode } from './lib/run-node.mjs';
import { PROCESSES, ROOT, SERVICES, serviceEnv } from './lib/services.mjs';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const RAW = process.argv.includes('--raw-logs');
const COLORS = [36, 35, 33, 32, 34];
const color = (i, text) => (process.stdout.isTTY ? `\x1b[${COLORS[i % COLORS.length]}m${text}\x1b[0m` : text);
const width = Math.max(...PROCESSES.map((p) => p.name.length));

/** One short line per JSON log record; `--raw-logs` prints the JSON as is. */
function format(line) {
  if (RAW) return line;
  try {
    const r = JSON.parse(line);
    const time = typeof r.time === 'string' ? r.time.slice(11, 19) : '';
    const req = r.req ? ` ${r.req.method} ${r.req.url} → ${r.res?.statusCode} ${r.responseTimeMs}ms` : '';
    const err = r.err ? ` ${r.err.type ?? ''}: ${r.err.message ?? ''}` : '';
    return `${time} ${String(r.level).padEnd(5)} ${r.msg ?? ''}${req}${err}`;
  } catch {
    return line;
  }
}

function pipe(stream, prefix) {
  readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${prefix} ${format(line)}\n`));
}

await preflight();

console.log('Preparing databases…');
for (const service of SERVICES) {
  const env = serviceEnv(service);
  await runNode(service, 'dist/cli/migrate.js', env);
  await runNode(service, 'dist/cli/seed.js', env);
}

const children = new Map();
let stopping = false;

function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  for (const child of children.values()) child.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const [name, child] of children) {
      console.error(`${name} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`);
      child.kill('SIGKILL');
    }
  }, STOP_TIMEOUT_MS);
  const waitAll = () => {
    if (children.size > 0) return;
    clearTimeout(force);
    console.log('All processes stopped.');
    process.exit(exitCode);
  };
  for (const child of children.values()) child.once('exit', waitAll);
  waitAll();
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

PROCESSES.forEach((proc, i) => {
  const env = serviceEnv(proc.service, proc.http ? { PORT: String(proc.service.port) } : {});
  const child = spawn(process.execPath, [path.join(ROOT, proc.service.dir, proc.entry)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = color(i, `[${proc.name.padEnd(width)}]`);
  pipe(child.stdout, prefix);
  pipe(child.stderr, prefix);
  children.set(proc.name, child);
  child.on('exit', (code, signal) => {
    children.delete(proc.name);
    if (!stopping) {
      console.error(`${proc.name} exited unexpectedly (${signal ?? `code ${code}`}); stopping the rest`);
      stopAll(1);
    }
  });
});

async function ready(service) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(`http://127.0.0.1:${service.port}/health/ready`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

const results = await Promise.all(SERVICES.map(ready));
// Stopped while waiting (Ctrl-C): stopAll is already waiting for the children and exits once they are gone;
// exiting here would orphan them with their output pipes closed.
if (!stopping) {
  const late = SERVICES.filter((_, i) => !results[i]).map((s) => s.name);
  if (late.length > 0) {
    console.error(`Not ready within ${READY_TIMEOUT_MS / 1000} s: ${late.join(', ')}`);
    stopAll(1);
  } else {
    const rows = SERVICES.map(
      (s) =>
        `  ${s.name.padEnd(20)} http://127.0.0.1:${s.port}   docs http://127.0.0.1:${s.port}/docs   metrics /metrics`,
    );
    console.log(
      [
        '',
        'casebook is up.',
        ...rows,
        '  chatbot-worker       running (no HTTP; heartbeat in Redis under worker:heartbeat:*)',
        '',
        `Demo users (password: ${process.env.CASEBOOK_DEMO_PASSWORD ? '$CASEBOOK_DEMO_PASSWORD' : 'casebook-demo'}):`,
        '  admin@casebook.dev (admin)            senior.emea@casebook.dev (senior_analyst, EMEA)',
        '  analyst.emea@casebook.dev (analyst, EMEA)   analyst.amer@casebook.dev (analyst, AMER)   guest@casebook.dev (guest)',
        '',
        'Try:',
        "  TOKEN=$(curl -s http://127.0.0.1:3000/v1/auth/login -H 'content-type: application/json' \\",
        '    -d \'{"email":"analyst.emea@casebook.dev","password":"casebook-demo"}\' | jq -r .accessToken)',
        '  curl -s http://127.0.0.1:3000/v1/insights -H "authorization: Bearer $TOKEN" | jq',
        'Press Ctrl-C to stop everything.',
        '',
      ].join('\n'),
    );
  }
}
