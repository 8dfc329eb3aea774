// Child-process entry for tests and the benchmark: the fixture service's HTTP API, compiled to
// dist/testing/fixture-api.js. Configured from the environment like a service (fixture config).
import 'reflect-metadata';
import { ensureDatabase, migrate, runService } from '@casebook/platform';
import { loadFixtureConfig } from './config';
import { fixtureDataSource, FixtureModule } from './fixture.module';

async function main(): Promise<void> {
  const config = loadFixtureConfig();
  if (config.AUDIT_FIXTURE_MIGRATE) {
    await ensureDatabase(config.DATABASE_URL);
    await migrate(fixtureDataSource({ ...config, DATABASE_POOL_SIZE: 1 }));
  }
  await runService({ config, module: (c) => FixtureModule.forRoot(c, { api: true }) });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
