import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LOGGER, type Logger, Metrics, SERVICE_NAME } from '@casebook/platform';
import Redis from 'ioredis';
import { parseRateLimitOptions, type RateLimitOptions, type RateLimitOptionsInput } from '../config';
import { RateLimiter, type RedisClient } from '../core';
import { RateLimitGuard } from './rate-limit.guard';
import { RATE_LIMIT_OPTIONS } from './tokens';

export interface RateLimitModuleOptions {
  /** The policy: tiers, IP and global rates, routes (the service's own policy, usually through `rateLimitOptionsFromEnv`). */
  options: RateLimitOptionsInput;
  /** A client other than the platform's, e.g. an ioredis `Cluster`. */
  redis?: RedisClient;
  /** Register the guard for every route (default); `false` to apply `RateLimitGuard` by hand. */
  global?: boolean;
  /** This process's clock (tests); decisions on Redis never use it. */
  clock?: () => number;
}

/**
 * `RateLimitModule.forRoot({ options })` after `PlatformModule.forRoot({ redis: true, … })` and after the auth
 * module, so that the auth guard has set `request.principal` when this guard runs. Exports `RateLimiter` for
 * code that limits something other than an HTTP route (penalties, login attempts by account, jobs).
 */
@Module({})
export class RateLimitModule {
  static forRoot(init: RateLimitModuleOptions): DynamicModule {
    // Validated at import, so a bad policy fails the boot with every problem listed.
    parseRateLimitOptions(init.options);
    const providers: Provider[] = [
      {
        provide: RATE_LIMIT_OPTIONS,
        inject: [SERVICE_NAME],
        // Services sharing one Redis without key prefixes must not share buckets.
        useFactory: (service: string) => parseRateLimitOptions({ prefix: `rl.${service}`, ...init.options }),
      },
      {
        provide: RateLimiter,
        inject: [RATE_LIMIT_OPTIONS, Redis, Metrics, LOGGER],
        useFactory: (options: RateLimitOptions, redis: Redis | null, metrics: Metrics, logger: Logger) => {
          const client = init.redis ?? redis;
          if (!client) {
            throw new Error('RateLimitModule needs Redis: PlatformModule.forRoot({ redis: true }) or the redis option');
          }
          return new RateLimiter({ redis: client, options, metrics, logger, clock: init.clock });
        },
      },
      RateLimitGuard,
    ];
    if (init.global !== false) providers.push({ provide: APP_GUARD, useClass: RateLimitGuard });
    return {
      module: RateLimitModule,
      global: true,
      providers,
      exports: [RATE_LIMIT_OPTIONS, RateLimiter, RateLimitGuard],
    };
  }
}
