// Bench-only entry: query-service's own module, with a fixed signed-in admin (or analyst) in place of the auth guard (which
// would need real tokens), on the service's database and Redis. Before it listens it migrates and, if the
// warehouse is empty, seeds the demo warehouse. Started by the `cache` comparison; never part of the service.
import 'reflect-metadata';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ensureDatabase, migrate, runService } from '@casebook/platform';
import {
  AppModule,
  createQueryDataSource,
  loadQueryConfig,
  type QueryConfig,
  seedQuery,
} from '@casebook/query-service';
import { BenchPrincipal } from './bench-principal';

@Module({})
class BenchQueryService {
  static forRoot(config: QueryConfig): DynamicModule {
    return {
      module: BenchQueryService,
      // The bench signs every request in as one admin, so it measures the cache, not token verification.
      imports: [AppModule.forRoot(config, { authentication: 'caller' })],
      providers: [{ provide: APP_GUARD, useClass: BenchPrincipal }],
    };
  }
}

async function main(): Promise<void> {
  const config = loadQueryConfig();
  await ensureDatabase(config.DATABASE_URL);
  const db = createQueryDataSource(config);
  await db.initialize();
  try {
    await migrate(db);
    await seedQuery(db);
  } finally {
    await db.destroy();
  }
  await runService({ config, module: (c) => BenchQueryService.forRoot(c) });
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
