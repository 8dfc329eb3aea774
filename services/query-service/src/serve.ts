import { runService } from '@casebook/platform';
import { AppModule } from './app.module';
import { loadQueryConfig } from './config';

export async function serve(): Promise<void> {
  await runService({ config: loadQueryConfig(), module: (config) => AppModule.forRoot(config) });
}
