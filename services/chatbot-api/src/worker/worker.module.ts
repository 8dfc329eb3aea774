import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { AuthzState, RoleCatalog, RolesRepository, UsersRepository } from '@casebook/auth';
import { type DestinationStream, LOGGER, type Logger, PlatformModule } from '@casebook/platform';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { chatCoreProviders } from '../chat.providers';
import { type ChatbotConfig, SERVICE_NAME } from '../config';
import { createChatbotDataSource } from '../data-source';
import { AnswerComposer, OutboundTextGate, PassThroughTextGate } from '../jobs/answer-composer';
import { AnswerProcessor } from '../jobs/answer.processor';
import { Maintenance } from '../jobs/maintenance';
import { AcknowledgingComposer } from '../jobs/placeholder-composer';
import { HeartbeatService } from './heartbeat.service';
import { QueueWorkers } from './queue-workers';

export interface WorkerOptions {
  /** Replace the answer pipeline (tests, other deployments). */
  composer?: Provider;
  gate?: Provider;
}

/** The chatbot worker: the same domain modules as the API, no HTTP server. */
@Module({})
export class WorkerModule {
  static forRoot(
    config: ChatbotConfig,
    options: WorkerOptions & { logDestination?: DestinationStream } = {},
  ): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot({
          service: `${SERVICE_NAME}-worker`,
          config,
          dataSource: () => createChatbotDataSource(config),
          redis: true,
          logDestination: options.logDestination,
        }),
      ],
      providers: [
        ...chatCoreProviders,
        { provide: UsersRepository, inject: [DataSource], useFactory: (db: DataSource) => new UsersRepository(db) },
        { provide: RolesRepository, inject: [DataSource], useFactory: (db: DataSource) => new RolesRepository(db) },
        {
          provide: RoleCatalog,
          inject: [RolesRepository],
          useFactory: (roles: RolesRepository) => new RoleCatalog(() => roles.catalog(), 2_000),
        },
        {
          provide: AuthzState,
          inject: [DataSource, Redis, LOGGER],
          useFactory: (db: DataSource, redis: Redis | null, logger: Logger) =>
            new AuthzState(db, redis, logger, { cacheTtlMs: config.AUTH_AUTHZ_CACHE_TTL_MS }),
        },
        options.composer ?? { provide: AnswerComposer, useClass: AcknowledgingComposer },
        options.gate ?? { provide: OutboundTextGate, useClass: PassThroughTextGate },
        AnswerProcessor,
        Maintenance,
        QueueWorkers,
        HeartbeatService,
      ],
    };
  }
}
