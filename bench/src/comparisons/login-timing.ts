import {
  AuthService,
  authMigrations,
  AuthzState,
  KeyRing,
  type LoginAttemptLimiter,
  NO_AUTH_EVENTS,
  PasswordHasher,
  RefreshTokens,
  TokenIssuer,
  UsersRepository,
} from '@casebook/auth';
import { createLogger, createPostgresDataSource, ensureDatabase, migrate } from '@casebook/platform';
import type { Comparison, FunctionContender, PreparedFunction } from '../harness/types';
import type { ComparisonContext } from './baseline';

const DATABASE = 'casebook_bench_login';
const EMAIL = 'bench.user@casebook.dev';
// The production defaults of identityConfigSchema (OWASP's argon2id minimum: 19 MiB, 2 passes).
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Never blocks: the bench measures the work of a failed sign-in, not the lockout. */
const noLimit: LoginAttemptLimiter = {
  check: async () => ({ allowed: true, retryAfterSeconds: 0 }),
  recordFailure: async () => undefined,
  recordSuccess: async () => undefined,
};

async function prepareLogin(email: string, password: string): Promise<PreparedFunction> {
  const url = `${process.env.CASEBOOK_PG_URL?.replace(/\/[^/]*$/, '') ?? 'postgres://postgres@127.0.0.1:5432'}/${DATABASE}`;
  await ensureDatabase(url);
  const db = createPostgresDataSource({
    url,
    applicationName: 'casebook-bench',
    migrations: authMigrations,
    poolSize: 2,
  });
  await db.initialize();
  await migrate(db);
  const hasher = new PasswordHasher(ARGON2);
  await db.query(
    'INSERT INTO users (email, password_hash) VALUES ($1, $2) ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash',
    [EMAIL, await hasher.hash('the-right-password')],
  );
  const logger = createLogger({ service: 'bench', level: 'silent' });
  const keys = await KeyRing.open({ keysDir: ':memory:', retainSeconds: 900, production: false });
  const auth = new AuthService(
    new UsersRepository(db),
    hasher,
    new TokenIssuer(keys, { issuer: 'bench', audience: 'bench', ttlSeconds: 900 }),
    new RefreshTokens(db, { familyTtlSeconds: 3600, graceSeconds: 10, secret: keys.refreshSecret }),
    new AuthzState(db, null, logger, { cacheTtlMs: 1000 }),
    noLimit,
    logger,
    NO_AUTH_EVENTS,
  );
  return {
    call: async () => {
      try {
        await auth.login(email, password, { principal: null, ip: '127.0.0.1', requestId: 'bench' });
        throw new Error('the bench login unexpectedly succeeded');
      } catch (error) {
        if ((error as { status?: number }).status !== 401) throw error;
      }
    },
    dispose: () => db.destroy(),
  };
}

function contender(name: string, label: string, email: string): FunctionContender {
  return { kind: 'function', name, label, concurrency: 1, prepare: () => prepareLogin(email, 'a-wrong-password') };
}

/**
 * Q2.4: a failed sign-in costs the same whether the email exists or not, so timing does not reveal
 * registered accounts. One call at a time, so p50 is the latency of one login; the ratio of the two
 * medians should stay within 0.8–1.25.
 */
export function loginTimingComparison(_context: ComparisonContext): Comparison {
  return {
    name: 'login-timing',
    title: 'Failed sign-in: unknown email vs wrong password',
    description:
      'AuthService.login against Postgres with production argon2id parameters (m=19 MiB, t=2, p=1), one call at a time.',
    reference: 'wrong-password',
    contenders: [
      contender('wrong-password', 'known email, wrong password', EMAIL),
      contender('unknown-email', 'unknown email (dummy hash)', 'nobody.here@casebook.dev'),
    ],
  };
}
