import { runService } from '@casebook/platform';
import { AppModule } from './app.module';
import { loadChatbotConfig } from './config';

export async function serve(): Promise<void> {
  await runService({ config: loadChatbotConfig(), module: (config) => AppModule.forRoot(config) });
}
