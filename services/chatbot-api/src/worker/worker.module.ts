import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { AuditModule } from '@casebook/audit';
import {
  AuthzState,
  RoleCatalog,
  RolesRepository,
  signingProviders,
  TokenIssuer,
  UsersRepository,
} from '@casebook/auth';
import { type DestinationStream, LOGGER, type Logger, PlatformModule } from '@casebook/platform';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { chatCoreProviders } from '../chat.providers';
import { type ChatbotConfig, SERVICE_NAME } from '../config';
import { createChatbotDataSource } from '../data-source';
import { IntentClassifier } from '../classifier';
import { AnswerComposer } from '../jobs/answer-composer';
import { AnswerProcessor } from '../jobs/answer.processor';
import { Maintenance } from '../jobs/maintenance';
import { PipelineComposer } from '../jobs/pipeline-composer';
import { QueryClient } from '../jobs/query-client';
import { LLM_PROVIDER, type LlmProvider, LlmModule } from '../llm';
import { HeartbeatService } from './heartbeat.service';
import { QueueWorkers } from './queue-workers';

export interface WorkerOptions {
  /** Replace the answer pipeline (tests, other deployments). */
  composer?: Provider;
  /** Replace the outbound gate (the moderation engine; tests). */
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
        LlmModule,
        // Moves audit events from the Redis stream and the outbox into the hash chain; signs checkpoints.
        AuditModule.forRoot({ http: false, consumer: true }),
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
        ...signingProviders(config),
        {
          provide: QueryClient,
          inject: [TokenIssuer],
          useFactory: (issuer: TokenIssuer) =>
            new QueryClient({ baseUrl: config.QUERY_SERVICE_URL, timeoutMs: config.QUERY_SERVICE_TIMEOUT_MS }, issuer),
        },
        {
          provide: IntentClassifier,
          useFactory: () =>
            IntentClassifier.load({
              modelsDir: config.INTENT_MODELS_DIR,
              split: config.INTENT_MODEL_SPLIT,
              salt: config.INTENT_AB_SALT,
            }),
        },
        options.composer ?? {
          provide: AnswerComposer,
          inject: [IntentClassifier, QueryClient, LLM_PROVIDER],
          useFactory: (classifier: IntentClassifier, queries: QueryClient, llm: LlmProvider) =>
            new PipelineComposer(classifier, queries, llm),
        },
        ...(options.gate ? [options.gate] : []),
        AnswerProcessor,
        Maintenance,
        QueueWorkers,
        HeartbeatService,
      ],
    };
  }
}
