import { secret } from '@casebook/platform';
import { z } from 'zod';

/** Variables of the token verifier, shared by every service that accepts casebook tokens. */
export const tokenVerifierConfigSchema = z.object({
  AUTH_ISSUER: z.string().min(1).default('casebook-chatbot-api'),
  /** Audience of end-user access tokens; service tokens name the target service instead. */
  AUTH_AUDIENCE: z.string().min(1).default('casebook'),
  /** Where resource servers fetch public keys; chatbot-api (the issuer) verifies with its own key ring. */
  AUTH_JWKS_URL: z.string().url().default('http://127.0.0.1:3000/.well-known/jwks.json'),
  /** Clock tolerance for exp/nbf between servers. */
  AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(120).default(5),
});

/** Variables of the identity provider (chatbot-api): passwords, keys, token lifetimes, login limits. */
export const identityConfigSchema = tokenVerifierConfigSchema.extend({
  AUTH_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(900).default(900),
  /** Absolute lifetime of a refresh-token family; rotation never extends it. */
  AUTH_REFRESH_FAMILY_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(30 * 24 * 3600),
  /** A rotated token presented again within this window gets the same successor (racing tabs, retries). */
  AUTH_REFRESH_GRACE_SECONDS: z.coerce.number().int().min(0).max(120).default(10),
  /** JSON array of private JWKs (Ed25519, with `kid`); the first signs. Required in production. */
  AUTH_SIGNING_KEYS: secret(z.string().optional()),
  /** Where development keys are generated once and kept (git-ignored); `:memory:` keeps them in memory. */
  AUTH_KEYS_DIR: z.string().default('.data/auth'),
  /** Derives refresh-token successors; generated next to the development keys when unset. */
  AUTH_REFRESH_SECRET: secret(z.string().min(32).optional()),
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(8).max(1_048_576).default(19_456),
  ARGON2_TIME_COST: z.coerce.number().int().min(1).max(10).default(2),
  ARGON2_PARALLELISM: z.coerce.number().int().min(1).max(8).default(1),
  AUTH_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  AUTH_LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** How long an instance trusts its in-process copy of a user's authz version (the revocation bound without Redis). */
  AUTH_AUTHZ_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  /** Pseudonymises identifiers (emails, IPs) in rate-limit keys and logs. */
  AUTH_PEPPER: secret(z.string().min(16).default('casebook-development-pepper')),
  CASEBOOK_DEMO_PASSWORD: secret(z.string().min(8).default('casebook-demo')),
});

export type TokenVerifierConfig = z.infer<typeof tokenVerifierConfigSchema>;
export type IdentityConfig = z.infer<typeof identityConfigSchema>;
