// `pnpm db:migrate`: create each service's database if needed and apply its pending migrations.
import { preflight } from './lib/preflight.mjs';
import { runNode } from './lib/run-node.mjs';
import { SERVICES, serviceEnv } from './lib/services.mjs';

await preflight({ redis: false });
for (const service of SERVICES) {
  await runNode(service, 'dist/cli/migrate.js', serviceEnv(service));
}
