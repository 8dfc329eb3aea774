import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { CONFIG, LOGGER, type Logger, Metrics } from '@casebook/platform';
import { AuditRecorder } from '../capture/recorder';
import { CheckpointStore } from '../checkpoints/checkpoint-store';
import { loadSigningKey } from '../checkpoints/signing-key';
import { assertAuditKeys, type AuditConfig } from '../config';
import { type AuditDb, auditDbFromDataSource } from '../db/db';
import { Pseudonymizer } from '../privacy/pseudonymizer';
import { ChainWriter } from '../store/chain-writer';
import { AuditConsumerService } from './audit-consumer.service';
import { AuditHttpHooks } from './audit-http.hooks';
import { AuditorController } from './auditor.controller';
import { AuditorService } from './auditor.service';
import { AUDIT_CONFIG, AUDIT_DB, AUDIT_SIGNING_KEY } from './tokens';

export interface AuditModuleOptions {
  /** Records `@Audited` routes (a Fastify onSend hook). On by default in an HTTP service. */
  http?: boolean;
  /** Serves the auditor API under `/v1/audit`. */
  auditorApi?: boolean;
  /** Runs the stream consumer, outbox relay and checkpoints here (the worker process). */
  consumer?: boolean;
}

/**
 * The audit log in a Nest service. Needs `PlatformModule` (its DataSource, Redis, logger, metrics) and
 * the audit migrations in the service's migration list. The service's config must include
 * `auditConfigShape`; `CONFIG` is read from PlatformModule.
 *
 *   AuditModule.forRoot({ auditorApi: true })       // chatbot-api main
 *   AuditModule.forRoot({ http: false, consumer: true })  // chatbot worker
 */
@Module({})
export class AuditModule {
  static forRoot(options: AuditModuleOptions = {}): DynamicModule {
    const providers: Provider[] = [
      {
        provide: AUDIT_CONFIG,
        inject: [CONFIG],
        useFactory: (config: AuditConfig & { NODE_ENV: string }) => {
          assertAuditKeys(config, config.NODE_ENV);
          return config;
        },
      },
      {
        provide: AUDIT_DB,
        inject: [DataSource],
        useFactory: (dataSource: DataSource | null) => {
          if (!dataSource) throw new Error('AuditModule needs a Postgres data source (PlatformModule dataSource)');
          return auditDbFromDataSource(dataSource);
        },
      },
      {
        provide: Pseudonymizer,
        inject: [AUDIT_CONFIG],
        useFactory: (config: AuditConfig) => new Pseudonymizer(config.AUDIT_PSEUDONYM_KEY),
      },
      {
        provide: AUDIT_SIGNING_KEY,
        inject: [AUDIT_CONFIG],
        useFactory: (config: AuditConfig) => loadSigningKey(config.AUDIT_SIGNING_KEY),
      },
      {
        provide: AuditRecorder,
        inject: [AUDIT_CONFIG, Pseudonymizer, Redis, AUDIT_DB, LOGGER, Metrics],
        useFactory: (
          config: AuditConfig,
          pseudonymizer: Pseudonymizer,
          redis: Redis | null,
          db: AuditDb,
          logger: Logger,
          metrics: Metrics,
        ) =>
          new AuditRecorder({
            pseudonymizer,
            redis,
            streamKey: config.AUDIT_STREAM_KEY,
            db,
            failureMode: config.AUDIT_FAILURE_MODE,
            logger,
            metrics,
          }),
      },
      { provide: ChainWriter, inject: [AUDIT_DB], useFactory: (db: AuditDb) => new ChainWriter(db) },
      { provide: CheckpointStore, inject: [AUDIT_DB], useFactory: (db: AuditDb) => new CheckpointStore(db) },
    ];
    if (options.http ?? true) providers.push(AuditHttpHooks);
    if (options.consumer) providers.push(AuditConsumerService);
    if (options.auditorApi) providers.push(AuditorService);
    return {
      module: AuditModule,
      // The recorder is used by feature modules and by the identity provider's event sink.
      global: true,
      controllers: options.auditorApi ? [AuditorController] : [],
      providers,
      exports: [AuditRecorder, Pseudonymizer, ChainWriter, CheckpointStore, AUDIT_DB, AUDIT_SIGNING_KEY],
    };
  }
}
