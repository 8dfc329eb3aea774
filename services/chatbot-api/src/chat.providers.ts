import type { Provider } from '@nestjs/common';
import { CONFIG } from '@casebook/platform';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { ChatbotConfig } from './config';
import { ConversationsRepository } from './conversations/conversations.repository';
import { loadMasterKey, UserKeys } from './crypto/user-keys';
import { ErasureRequestsRepository } from './erasure/erasure-requests.repository';
import { ErasureService } from './erasure/erasure.service';
import { JobQueues } from './jobs/job-queues.service';
import { ReplyEventLog } from './jobs/reply-events';
import { MessagesRepository } from './messages/messages.repository';

export const MASTER_KEY = Symbol('MASTER_KEY');

/** What the API process and the worker share: keys, repositories, queues, the reply event log. */
export const chatCoreProviders: Provider[] = [
  {
    provide: MASTER_KEY,
    inject: [CONFIG],
    useFactory: (config: ChatbotConfig) =>
      loadMasterKey({
        configured: config.CHATBOT_MASTER_KEY,
        keysDir: config.AUTH_KEYS_DIR,
        production: config.NODE_ENV === 'production',
      }),
  },
  {
    provide: UserKeys,
    inject: [DataSource, MASTER_KEY],
    useFactory: (db: DataSource, key: Buffer) => new UserKeys(db, key),
  },
  ConversationsRepository,
  MessagesRepository,
  JobQueues,
  ErasureRequestsRepository,
  ErasureService,
  {
    provide: ReplyEventLog,
    inject: [Redis, CONFIG],
    useFactory: (redis: Redis, config: ChatbotConfig) =>
      new ReplyEventLog(redis, `${config.REDIS_KEY_PREFIX}reply-events`),
  },
];
