import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import Redis from 'ioredis';
import type { DestinationStream, Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { BaseConfig } from '../config';
import { ProblemFilter, createValidationPipe } from '../errors';
import {
  HEALTH_CHECK_TIMEOUT_MS,
  HEALTH_INDICATORS,
  HealthController,
  type HealthIndicator,
  HealthService,
} from '../health';
import { pingPostgres } from '../database';
import { createLogger } from '../logging';
import { Metrics } from '../metrics';
import { createRedis } from '../redis';
import { reportBestEffortTo } from '../resilience';
import { MetricsController } from './metrics.controller';
import { CONFIG, LOGGER, SERVICE_NAME } from './tokens';

export interface PlatformOptions {
  service: string;
  config: BaseConfig;
  /** Builds the service's data source; omitted for a service without a database. */
  dataSource?: () => DataSource;
  /** Whether the service uses Redis (a client is provided and checked by readiness). */
  redis?: boolean;
  /**
   * Whether the service cannot serve without Redis. When false, readiness reports Redis down as
   * `degraded` and stays 200 (the service has fallbacks); when true (default), readiness turns 503.
   */
  redisCritical?: boolean;
  /** Where logs go; stdout by default. */
  logDestination?: DestinationStream;
}

/** Connects on module init, not in a constructor, and closes on shutdown. */
@Injectable()
class ConnectionLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(DataSource) private readonly dataSource: DataSource | null,
    @Inject(Redis) private readonly redis: Redis | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([
      this.dataSource?.isInitialized ? this.dataSource.destroy() : Promise.resolve(),
      this.redis ? this.redis.quit().catch(() => this.redis?.disconnect()) : Promise.resolve(),
    ]);
    this.logger.info('connections closed');
  }
}

async function initializeWithRetry(dataSource: DataSource, logger: Logger): Promise<DataSource> {
  const attempts = 5;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await dataSource.initialize();
    } catch (error) {
      if (attempt >= attempts) throw error;
      logger.warn({ err: error, attempt }, 'postgres not reachable yet, retrying');
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }
}

/**
 * What every service imports once: config, logger, metrics, health, the problem filter, validation,
 * and its Postgres and Redis connections.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { config } = options;
    const logger = createLogger({
      service: options.service,
      level: config.LOG_LEVEL,
      destination: options.logDestination,
    });
    reportBestEffortTo(logger);
    const providers: Provider[] = [
      { provide: SERVICE_NAME, useValue: options.service },
      { provide: CONFIG, useValue: config },
      { provide: LOGGER, useValue: logger },
      { provide: Metrics, useFactory: () => new Metrics(options.service) },
      { provide: HEALTH_CHECK_TIMEOUT_MS, useValue: config.HEALTH_CHECK_TIMEOUT_MS },
      {
        provide: DataSource,
        useFactory: () => (options.dataSource ? initializeWithRetry(options.dataSource(), logger) : null),
      },
      {
        provide: Redis,
        useFactory: () =>
          options.redis
            ? createRedis({
                url: config.REDIS_URL,
                keyPrefix: config.REDIS_KEY_PREFIX,
                connectionName: options.service,
              })
            : null,
      },
      {
        provide: HEALTH_INDICATORS,
        inject: [DataSource, Redis],
        useFactory: (dataSource: DataSource | null, redis: Redis | null): HealthIndicator[] => [
          ...(dataSource ? [{ name: 'postgres', check: () => pingPostgres(dataSource) }] : []),
          ...(redis
            ? [{ name: 'redis', critical: options.redisCritical ?? true, check: async () => void (await redis.ping()) }]
            : []),
        ],
      },
      HealthService,
      ConnectionLifecycle,
      { provide: APP_FILTER, useFactory: () => new ProblemFilter(logger) },
      { provide: APP_PIPE, useFactory: createValidationPipe },
    ];
    return {
      module: PlatformModule,
      controllers: [HealthController, MetricsController],
      providers,
      exports: [SERVICE_NAME, CONFIG, LOGGER, Metrics, DataSource, Redis, HealthService, HEALTH_INDICATORS],
    };
  }
}
