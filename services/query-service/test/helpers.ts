import { APP_GUARD } from '@nestjs/core';
import type { Principal } from '@casebook/auth';
import type { Env } from '@casebook/platform';
import { createTestApp, type TestApp, waitFor } from '@casebook/testing';
import { DataSource } from 'typeorm';
import { AppModule, DataVersions, loadQueryConfig, loadSales } from '../src';
import { TEST_PRINCIPAL_HEADER, TestPrincipalGuard } from './test-principal.guard';

export interface QueryServiceApp extends TestApp {
  url: string;
}

/**
 * A query-service instance in this process, listening on a loopback port, with the test principal guard
 * (tokens come with packages/auth).
 */
export async function bootQueryService(env: Env): Promise<QueryServiceApp> {
  const t = await createTestApp({
    config: loadQueryConfig(env),
    module: (c, logDestination) => AppModule.forRoot(c, { logDestination, authentication: 'caller' }),
    providers: [{ provide: APP_GUARD, useClass: TestPrincipalGuard }],
  });
  await t.app.listen(0, '127.0.0.1');
  return Object.assign(t, { url: (await t.app.getUrl()).replace('[::1]', '127.0.0.1') });
}

export const principals = {
  admin: (): Principal => ({ kind: 'user', id: 'u-admin', roles: ['admin'] }),
  analyst: (region?: string): Principal => ({
    kind: 'user',
    id: `u-analyst-${region ?? 'all'}`,
    roles: ['analyst'],
    region,
  }),
  guest: (): Principal => ({ kind: 'user', id: 'u-guest', roles: ['guest'] }),
  worker: (actingFor: Principal): Principal => ({
    kind: 'service',
    id: 'chatbot-worker',
    roles: ['service'],
    actingFor: { id: actingFor.id, roles: actingFor.roles, region: actingFor.region },
  }),
};

export const as = (principal: Principal): Record<string, string> => ({
  [TEST_PRINCIPAL_HEADER]: JSON.stringify(principal),
});

export interface Reply {
  status: number;
  headers: Record<string, string>;
  // Response bodies are asserted field by field in the tests.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: Record<string, any>;
}

/** `POST /v1/queries` over a real loopback connection, so a test can fire a thousand at once. */
export async function ask(
  t: QueryServiceApp,
  body: Record<string, unknown>,
  principal: Principal = principals.analyst(),
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(`${t.url}/v1/queries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...as(principal), ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: Object.fromEntries(res.headers), body: text ? JSON.parse(text) : {} };
}

export const WAREHOUSE_FROM = new Date('2024-01-01T00:00:00Z');

/** A small deterministic warehouse from 2024 to the current hour: enough rows for every dimension. */
/** One instance on a small seeded warehouse whose data version every instance has seen: the usual start of a file. */
export async function bootSeededQueryService(env: Env, rows?: number): Promise<QueryServiceApp> {
  const t = await bootQueryService(env);
  await seedSmallWarehouse(dataSourceOf(t), rows);
  await versionsSettled([t]);
  return t;
}

export async function seedSmallWarehouse(db: DataSource, rows = 6_000): Promise<void> {
  await loadSales(db, {
    kind: 'full',
    rows,
    from: WAREHOUSE_FROM,
    to: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000),
  });
}

/** How many aggregate queries the warehouse answered (each writes a row to warehouse.query_log). */
export async function warehouseQueries(db: DataSource): Promise<number> {
  const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM warehouse.query_log')) as { n: number }[];
  return n;
}

export function dataSourceOf(t: TestApp): DataSource {
  return t.app.get(DataSource);
}

/** Waits until every instance has heard (NOTIFY) of the warehouse's current data version. */
export async function versionsSettled(instances: QueryServiceApp[]): Promise<number> {
  const [{ version }] = (await dataSourceOf(instances[0]!).query(
    "SELECT data_version::int AS version FROM warehouse.datasets WHERE name = 'sales'",
  )) as { version: number }[];
  await waitFor(() => instances.every((t) => t.app.get(DataVersions).versionOf('sales') === version), {
    timeoutMs: 15_000,
    message: `instances did not all reach data version ${version}`,
  });
  return version;
}
