// The processes `pnpm start` runs and the databases `pnpm db:migrate` prepares. Ports and database
// names match each service's SERVICE_DEFAULTS (services/*/src/config.ts); a test keeps them in step.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Postgres server for local runs; each service gets its own database on it. */
export const PG_SERVER_URL = process.env.CASEBOOK_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';

export function databaseUrl(database) {
  const url = new URL(PG_SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

const port = (variable, fallback) => Number(process.env[variable] ?? fallback);

export const SERVICES = [
  {
    name: 'chatbot-api',
    dir: 'services/chatbot-api',
    database: 'casebook_chatbot',
    port: port('CHATBOT_API_PORT', 3000),
  },
  {
    name: 'query-service',
    dir: 'services/query-service',
    database: 'casebook_query',
    port: port('QUERY_SERVICE_PORT', 3001),
  },
  {
    name: 'moderation-service',
    dir: 'services/moderation-service',
    database: 'casebook_moderation',
    port: port('MODERATION_SERVICE_PORT', 3002),
  },
];

/** Long-running processes: every service's HTTP entry, plus workers (no HTTP). */
export const PROCESSES = [
  ...SERVICES.map((s) => ({ name: s.name, service: s, entry: 'dist/main.js', http: true })),
  { name: 'chatbot-worker', service: SERVICES[0], entry: 'dist/worker.js', http: false },
];

export function serviceEnv(service, extra = {}) {
  return {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    DATABASE_URL: databaseUrl(service.database),
    REDIS_URL,
    ...extra,
  };
}
