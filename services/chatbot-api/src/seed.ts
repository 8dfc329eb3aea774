import { AccessContext, PasswordHasher, RolesRepository, SEEDED_ROLES, UsersRepository } from '@casebook/auth';
import { queryRows, sql } from '@casebook/platform';
import type { DataSource } from 'typeorm';
import type { ChatbotConfig } from './config';
import { ConversationsRepository } from './conversations/conversations.repository';
import { everyOwnerForMaintenance, ownerScope } from './conversations/owner-scope';
import { loadMasterKey, UserKeys } from './crypto/user-keys';
import { MessagesRepository } from './messages/messages.repository';
import { DEMO_INSIGHTS, DEMO_USERS } from './demo-users';
import { INTENT_CATALOG } from './intents/intent-catalog';
import { IntentsRepository } from './intents/intents.repository';

type SeedConfig = Pick<
  ChatbotConfig,
  | 'CASEBOOK_DEMO_PASSWORD'
  | 'ARGON2_MEMORY_KIB'
  | 'ARGON2_TIME_COST'
  | 'ARGON2_PARALLELISM'
  | 'CHATBOT_MASTER_KEY'
  | 'AUTH_KEYS_DIR'
  | 'NODE_ENV'
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
  await seedConversations(db, config);
  const [{ count }] = await queryRows<{ count: number }>(db, sql`SELECT count(*)::int AS count FROM insights`);
  if (count === 0) {
    for (const insight of DEMO_INSIGHTS) {
      await queryRows(
        db,
        sql`INSERT INTO insights (region, title, body) VALUES (${insight.region}, ${insight.title}, ${insight.body})`,
      );
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

const DEMO_CONVERSATIONS = [
  {
    title: 'EMEA Q1 review',
    question: 'revenue in EMEA for Q1 2024 by category',
    answer:
      'Revenue in EMEA for Q1 2024 by category: ask me again once the warehouse is loaded to see the live figures.',
  },
  {
    title: 'Getting started',
    question: 'what can you do?',
    answer: 'Ask about sales, revenue, units, margin or orders by region, category, product or segment.',
  },
];

/** Two finished conversations for analyst.emea, so the UI and the API have history to show. */
async function seedConversations(db: DataSource, config: SeedConfig): Promise<void> {
  const owner = await new UsersRepository(db).findByEmail('analyst.emea@casebook.dev');
  if (!owner) return;
  const [{ count }] = await queryRows<{ count: number }>(
    db,
    sql`SELECT count(*)::int AS count FROM conversations WHERE owner_id = ${owner.id}`,
  );
  if (count > 0) return;
  const keys = new UserKeys(
    db,
    await loadMasterKey({
      configured: config.CHATBOT_MASTER_KEY,
      keysDir: config.AUTH_KEYS_DIR,
      production: config.NODE_ENV === 'production',
    }),
  );
  // The seed writes as the demo user would, through the same scope a request of theirs gets.
  const scope = ownerScope(
    new AccessContext({ kind: 'user', id: owner.id, roles: owner.roles, region: owner.region ?? undefined }, null),
  );
  const conversations = new ConversationsRepository(db, keys);
  const messages = new MessagesRepository(db, keys);
  await messages.ensurePartitions(everyOwnerForMaintenance(), 3);
  for (const demo of DEMO_CONVERSATIONS) {
    const conversation = await conversations.create(scope, demo.title);
    const { reply } = await db.transaction((tx) =>
      messages.insertQuestion(tx, scope, {
        conversationId: conversation.id,
        parentId: null,
        content: demo.question,
        actorRole: 'analyst',
        intent: null,
        lane: 'short',
        modelVersion: null,
      }),
    );
    await messages.start(scope, reply.id);
    await messages.complete(scope, reply.id, {
      content: demo.answer,
      intent: null,
      modelVersion: null,
      provider: 'seed',
      fallback: false,
    });
  }
}
