import { runMigrationCli } from '@casebook/platform';
import { loadChatbotConfig } from '../config';
import { createChatbotDataSource } from '../data-source';

void runMigrationCli('chatbot-api', () => createChatbotDataSource(loadChatbotConfig()));
