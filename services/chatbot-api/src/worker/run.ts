import { runWorker } from '@casebook/platform';
import { loadChatbotConfig } from '../config';
import { WorkerModule } from './worker.module';

export async function runChatbotWorker(): Promise<void> {
  await runWorker({ config: loadChatbotConfig(), module: (config) => WorkerModule.forRoot(config) });
}
