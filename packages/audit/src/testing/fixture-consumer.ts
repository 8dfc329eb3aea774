// Child-process entry for tests: the fixture service's worker role (stream consumer, outbox relay,
// checkpoints), no HTTP. Compiled to dist/testing/fixture-consumer.js.
import 'reflect-metadata';
import { runWorker } from '@casebook/platform';
import { loadFixtureConfig } from './config';
import { FixtureModule } from './fixture.module';

runWorker({
  config: loadFixtureConfig(),
  module: (c) => FixtureModule.forRoot(c, { api: false, consumer: true }),
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
