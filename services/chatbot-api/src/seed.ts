import { PasswordHasher, RolesRepository, SEEDED_ROLES, UsersRepository } from '@casebook/auth';
import type { DataSource } from 'typeorm';
import type { ChatbotConfig } from './config';
import { DEMO_INSIGHTS, DEMO_USERS } from './demo-users';
import { INTENT_CATALOG } from './intents/intent-catalog';
import { IntentsRepository } from './intents/intents.repository';

type SeedConfig = Pick<
  ChatbotConfig,
  'CASEBOOK_DEMO_PASSWORD' | 'ARGON2_MEMORY_KIB' | 'ARGON2_TIME_COST' | 'ARGON2_PARALLELISM'
>;

/** Demo data for `pnpm start`: intents, the seeded roles, demo users and insights. Safe to run any number of times. */
export async function seedChatbot(db: DataSource, config?: SeedConfig): Promise<void> {
  await new IntentsRepository(db).upsert(INTENT_CATALOG);
  const roles = new RolesRepository(db);
  // Parents before children, so each role finds its parent.
  const ordered = [...SEEDED_ROLES].sort((a, b) => depth(a.name) - depth(b.name));
  for (const role of ordered) await roles.save(role, { builtIn: true });
  if (!config) return;

  const users = new UsersRepository(db);
  const hasher = new PasswordHasher({
    memoryCost: config.ARGON2_MEMORY_KIB,
    timeCost: config.ARGON2_TIME_COST,
    parallelism: config.ARGON2_PARALLELISM,
  });
  for (const demo of DEMO_USERS) {
    if (await users.findByEmail(demo.email)) continue;
    await users.create({
      email: demo.email,
      passwordHash: await hasher.hash(config.CASEBOOK_DEMO_PASSWORD),
      region: demo.region,
      roles: [...demo.roles],
    });
  }
  const [{ count }] = await db.query('SELECT count(*)::int AS count FROM insights');
  if (count === 0) {
    for (const insight of DEMO_INSIGHTS) {
      await db.query('INSERT INTO insights (region, title, body) VALUES ($1, $2, $3)', [
        insight.region,
        insight.title,
        insight.body,
      ]);
    }
  }
}

function depth(name: string): number {
  let level = 0;
  for (
    let role = SEEDED_ROLES.find((r) => r.name === name);
    role?.parent;
    role = SEEDED_ROLES.find((r) => r.name === role!.parent)
  ) {
    level += 1;
  }
  return level;
}
