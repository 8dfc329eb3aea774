import { z } from 'zod';
import { baseConfigSchema } from './base.schema';
import { ConfigError, describeConfig, loadConfig, secret } from './config';

const schema = baseConfigSchema({ port: 3999, database: 'casebook_example' }).extend({
  API_TOKEN: secret(z.string().min(20)),
});

describe('loadConfig', () => {
  it('When variables are missing, then defaults apply and types are converted', () => {
    const config = loadConfig(schema, {
      API_TOKEN: 'x'.repeat(20),
      PORT: '4100',
      CORS_ORIGINS: 'https://a.test, https://b.test',
    });
    expect(config.PORT).toBe(4100);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/casebook_example');
    expect(config.CORS_ORIGINS).toEqual(['https://a.test', 'https://b.test']);
    expect(config.DOCS_ENABLED).toBe(true);
  });

  it('When several variables are bad, then the error lists every one of them', () => {
    const attempt = () => loadConfig(schema, { PORT: 'eighty', LOG_LEVEL: 'loud', BODY_LIMIT_BYTES: '-1' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const keys = (error as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(keys.sort()).toEqual(['API_TOKEN', 'BODY_LIMIT_BYTES', 'LOG_LEVEL', 'PORT']);
    }
  });

  it('When a secret is malformed, then its value is not echoed in the error', () => {
    expect(() => loadConfig(schema, { API_TOKEN: 'short-but-secret' })).toThrow(/API_TOKEN: invalid \(value hidden\)/);
    expect(() => loadConfig(schema, { API_TOKEN: 'short-but-secret' })).not.toThrow(/short-but-secret/);
  });

  it('When the config is described for logs, then secrets and URL passwords are hidden', () => {
    const config = loadConfig(schema, {
      API_TOKEN: 't'.repeat(24),
      DATABASE_URL: 'postgres://app:hunter2hunter2@db.internal:5432/casebook',
    });
    const described = JSON.stringify(describeConfig(schema, config));
    expect(described).not.toContain('hunter2hunter2');
    expect(described).not.toContain('t'.repeat(24));
    expect(described).toContain('db.internal');
    expect(described).toContain('"PORT":3999');
  });
});
