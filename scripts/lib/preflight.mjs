import pg from 'pg';
import Redis from 'ioredis';
import { PG_SERVER_URL, REDIS_URL } from './services.mjs';

const HINTS = {
  postgres: [
    'Start PostgreSQL 15+ on 127.0.0.1:5432, for example:',
    '  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    'or point CASEBOOK_PG_URL at a running server.',
  ],
  redis: [
    'Start Redis 7+ on 127.0.0.1:6379, for example:',
    '  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
    'or point REDIS_URL at a running server.',
  ],
};

async function checkPostgres() {
  const client = new pg.Client({ connectionString: PG_SERVER_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRedis() {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

const redact = (url) => url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');

/** Exits with a message saying how to start whatever is not reachable. */
export async function preflight({ redis = true } = {}) {
  const checks = [['postgres', PG_SERVER_URL, checkPostgres]];
  if (redis) checks.push(['redis', REDIS_URL, checkRedis]);
  const failures = [];
  for (const [name, url, check] of checks) {
    try {
      await check();
    } catch (error) {
      failures.push({ name, url, reason: error instanceof Error ? error.message || error.code : String(error) });
    }
  }
  if (failures.length === 0) return;
  for (const { name, url, reason } of failures) {
    console.error(`\n✖ ${name} is not reachable at ${redact(url)} (${reason})`);
    for (const line of HINTS[name]) console.error(`  ${line}`);
  }
  console.error(
    '\nNo local services at all? Run them in containers: docker compose -f infra/compose.yaml up -d postgres redis\n',
  );
  process.exit(1);
}
