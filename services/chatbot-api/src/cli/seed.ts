import { runSeedCli } from '@casebook/platform';
import { loadChatbotConfig } from '../config';
import { createChatbotDataSource } from '../data-source';
import { seedChatbot } from '../seed';

void runSeedCli('chatbot-api', () => createChatbotDataSource(loadChatbotConfig()), seedChatbot);
