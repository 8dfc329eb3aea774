import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CONFIG } from '@casebook/platform';
import Redis from 'ioredis';
import { chatCoreProviders } from './chat.providers';
import type { ChatbotConfig } from './config';
import { ConversationsController } from './conversations/conversations.controller';
import { everyOwnerForMaintenance } from './conversations/owner-scope';
import { ErasureController } from './erasure/erasure.controller';
import { ReplyNotifications } from './jobs/reply-events';
import { MessagesController } from './messages/messages.controller';
import { MessagesRepository } from './messages/messages.repository';
import { MessagesService } from './messages/messages.service';
import { IntentClassifier } from './classifier';
import { ClassifierQuestionRouter } from './messages/classifier-router';
import { QuestionRouter } from './messages/question-router';
import { ReplyStreamController } from './messages/reply-stream.controller';
import { ReplyStreamService } from './messages/reply-stream.service';
import { ConversationsService } from './conversations/conversations.service';
import { ErasureRequests } from './erasure/erasure-requests.service';

/** Conversations, messages, replies over SSE and erasure: the HTTP side of the chatbot. */
@Module({
  controllers: [ConversationsController, MessagesController, ReplyStreamController, ErasureController],
  providers: [
    ...chatCoreProviders,
    MessagesService,
    ErasureRequests,
    ConversationsService,
    ReplyStreamService,
    {
      provide: IntentClassifier,
      inject: [CONFIG],
      useFactory: (config: ChatbotConfig) =>
        IntentClassifier.load({
          modelsDir: config.INTENT_MODELS_DIR,
          split: config.INTENT_MODEL_SPLIT,
          salt: config.INTENT_AB_SALT,
        }),
    },
    {
      provide: QuestionRouter,
      inject: [IntentClassifier],
      useFactory: (c: IntentClassifier) => new ClassifierQuestionRouter(c),
    },
    {
      provide: ReplyNotifications,
      inject: [Redis, CONFIG],
      useFactory: (redis: Redis, config: ChatbotConfig) => {
        const subscriber = redis.duplicate({
          keyPrefix: undefined,
          enableOfflineQueue: true,
          maxRetriesPerRequest: null,
        });
        subscriber.on('error', () => undefined);
        return new ReplyNotifications(subscriber, `${config.REDIS_KEY_PREFIX}reply-events`);
      },
    },
  ],
})
export class ChatModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly messages: MessagesRepository,
    @Inject(ReplyNotifications) private readonly notifications: ReplyNotifications,
  ) {}

  // A database cloned or restored months later still gets this month's partition before the first write.
  async onModuleInit(): Promise<void> {
    await this.messages.ensurePartitions(everyOwnerForMaintenance(), 3);
  }

  onApplicationShutdown(): void {
    this.notifications.close();
  }
}
