import { type DynamicModule, Module } from '@nestjs/common';
import { type DestinationStream, PlatformModule } from '@casebook/platform';
import { type QueryConfig, SERVICE_NAME } from './config';
import { createQueryDataSource } from './data-source';
import { DatasetsModule } from './datasets/datasets.module';

@Module({})
export class AppModule {
  static forRoot(config: QueryConfig, options: { logDestination?: DestinationStream } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: SERVICE_NAME,
          config,
          dataSource: () => createQueryDataSource(config),
          redis: true,
          logDestination: options.logDestination,
        }),
        DatasetsModule,
      ],
    };
  }
}
