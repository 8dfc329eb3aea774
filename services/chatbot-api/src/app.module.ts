import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@casebook/platform';
import type { DestinationStream } from '@casebook/platform';
import { type ChatbotConfig, SERVICE_NAME } from './config';
import { createChatbotDataSource } from './data-source';
import { IntentsModule } from './intents/intents.module';

@Module({})
export class AppModule {
  static forRoot(config: ChatbotConfig, options: { logDestination?: DestinationStream } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: SERVICE_NAME,
          config,
          dataSource: () => createChatbotDataSource(config),
          redis: true,
          logDestination: options.logDestination,
        }),
        IntentsModule,
      ],
    };
  }
}
