import { runSeedCli } from '@casebook/platform';
import { loadChatbotConfig } from '../config';
import { createChatbotDataSource } from '../data-source';
import { seedChatbot } from '../seed';

const config = loadChatbotConfig();
void runSeedCli(
  'chatbot-api',
  () => createChatbotDataSource(config),
  (db) => seedChatbot(db, config),
);
