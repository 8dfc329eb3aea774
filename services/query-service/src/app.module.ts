import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@casebook/audit';
import { ResourceServerAuthModule } from '@casebook/auth';
import { type DestinationStream, PlatformModule } from '@casebook/platform';
import { type QueryConfig, SERVICE_NAME } from './config';
import { createQueryDataSource } from './data-source';
import { DatasetsModule } from './datasets/datasets.module';
import { QueriesModule } from './queries/queries.module';

@Module({})
export class AppModule {
  /**
   * `authentication: 'caller'` leaves authentication to guards the caller installs (the service's own
   * tests, which set principals directly); it is a code option, not configuration, so a deployment
   * always verifies tokens against the issuer's JWKS.
   */
  static forRoot(
    config: QueryConfig,
    options: { logDestination?: DestinationStream; authentication?: 'jwks' | 'caller' } = {},
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: SERVICE_NAME,
          config,
          dataSource: () => createQueryDataSource(config),
          redis: true,
          // Q18.2: without Redis the service still answers (L1 and the warehouse), so Redis down is degraded, not unready.
          redisCritical: false,
          logDestination: options.logDestination,
        }),
        // query-service has no worker process: its audit consumer and checkpoint signer run here.
        AuditModule.forRoot({ consumer: true }),
        ...(options.authentication === 'caller'
          ? []
          : [ResourceServerAuthModule.forRoot({ config, service: SERVICE_NAME })]),
        DatasetsModule,
        QueriesModule,
      ],
    };
  }
}
