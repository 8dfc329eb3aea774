import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@casebook/audit';
import { ResourceServerAuthModule } from '@casebook/auth';
import { type DestinationStream, PlatformModule } from '@casebook/platform';
import { CategoriesModule } from './categories/categories.module';
import { ModerateModule } from './moderate/moderate.module';
import { type ModerationConfig, SERVICE_NAME } from './config';
import { createModerationDataSource } from './data-source';
import { WhoamiController } from './whoami/whoami.controller';

@Module({})
export class AppModule {
  static forRoot(config: ModerationConfig, options: { logDestination?: DestinationStream } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: SERVICE_NAME,
          config,
          dataSource: () => createModerationDataSource(config),
          redis: true,
          logDestination: options.logDestination,
        }),
        // moderation-service has no worker process: its audit consumer and checkpoint signer run here.
        AuditModule.forRoot({ consumer: true }),
        ResourceServerAuthModule.forRoot({ config, service: SERVICE_NAME }),
        CategoriesModule,
        ModerateModule,
      ],
      controllers: [WhoamiController],
    };
  }
}
