import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule, auditAuthEvents } from '@casebook/audit';
import { IdentityModule } from '@casebook/auth';
import { type DestinationStream, PlatformModule } from '@casebook/platform';
import { RateLimitModule, rateLimitOptionsFromEnv } from '@casebook/rate-limit';
import { type ChatbotConfig, SERVICE_NAME } from './config';
import { ChatModule } from './chat.module';
import { createChatbotDataSource } from './data-source';
import { InsightsModule } from './insights/insights.module';
import { IntentsModule } from './intents/intents.module';
import { CHATBOT_RATE_LIMITS } from './rate-limit-policy';

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
          // Q8.4: sign-in, refresh and authenticated requests work without Redis (Postgres fallbacks).
          redisCritical: false,
          logDestination: options.logDestination,
        }),
        // Q6.1: the audit log (global), fed by @Audited routes, the identity provider and denials.
        AuditModule.forRoot({ auditorApi: true }),
        IdentityModule.forRoot({ config, events: auditAuthEvents() }),
        // After identity: its guard sets the principal this one limits (Q5.x).
        RateLimitModule.forRoot({ options: rateLimitOptionsFromEnv(config, CHATBOT_RATE_LIMITS) }),
        IntentsModule,
        InsightsModule,
        ChatModule,
      ],
    };
  }
}
