import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@casebook/platform';
import { type ChatbotConfig, SERVICE_NAME } from '../config';
import { createChatbotDataSource } from '../data-source';
import { HeartbeatService } from './heartbeat.service';

/** The chatbot worker: the same domain modules as the API, no HTTP server. */
@Module({})
export class WorkerModule {
  static forRoot(config: ChatbotConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot({
          service: `${SERVICE_NAME}-worker`,
          config,
          dataSource: () => createChatbotDataSource(config),
          redis: true,
        }),
      ],
      providers: [HeartbeatService],
    };
  }
}
