import { runService } from '@casebook/platform';
import { AppModule } from './app.module';
import { loadModerationConfig } from './config';

export async function serve(): Promise<void> {
  await runService({ config: loadModerationConfig(), module: (config) => AppModule.forRoot(config) });
}
