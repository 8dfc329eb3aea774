import { z } from 'zod';

const secrets = new WeakSet<z.ZodTypeAny>();

/** Marks a config field as secret: it is never printed by {@link describeConfig} or logged. */
export function secret<T extends z.ZodTypeAny>(schema: T): T {
  secrets.add(schema);
  return schema;
}

/** A comma-separated list, e.g. `CORS_ORIGINS=https://a.example,https://b.example`. */
export const commaList = () =>
  z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    );

export const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/**
 * Validates the environment once against a service's schema. Fails listing every bad variable,
 * never only the first one. Empty strings count as unset so `FOO=` falls back to the default.
 */
export function loadConfig<S extends z.AnyZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = issue.path.join('.') || '(root)';
        const isSecret = secrets.has(schema.shape[key as keyof typeof schema.shape]);
        // Never echo a secret's value back, even when it is malformed.
        return isSecret ? `${key}: invalid (value hidden)` : `${key}: ${issue.message}`;
      }),
    );
  }
  return parsed.data;
}

/** The config as it is safe to log: secret fields replaced, credentials stripped from URLs. */
export function describeConfig<S extends z.AnyZodObject>(schema: S, config: z.infer<S>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    const field = schema.shape[key];
    if (field && secrets.has(field)) {
      out[key] = typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? redactUrl(value) : '[secret]';
    } else {
      out[key] = value;
    }
  }
  return out;
}

export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '[secret]';
  }
}
