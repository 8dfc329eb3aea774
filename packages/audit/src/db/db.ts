import type { Pool, PoolClient } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { bestEffort } from '@casebook/platform';

/**
 * The little the audit core needs from Postgres: parameterised queries that return rows, and a
 * transaction. Services hand in their TypeORM DataSource, the CLIs a pg Pool; the core knows neither.
 */
export interface AuditDb {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  transaction<T>(work: (tx: AuditDb) => Promise<T>): Promise<T>;
}

/** Anything that runs a parameterised statement: a TypeORM EntityManager or QueryRunner, a pg client. */
export interface SqlExecutor {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

function runnerDb(runner: QueryRunner): AuditDb {
  return {
    // Structured results: TypeORM otherwise returns `[rows, count]` for UPDATE/DELETE and rows for the rest.
    query: async <R>(sql: string, params?: unknown[]) => (await runner.query(sql, params, true)).records as R[],
    transaction: (work) => work(runnerDb(runner)),
  };
}

export function auditDbFromDataSource(dataSource: DataSource): AuditDb {
  return {
    async query<R>(sql: string, params?: unknown[]): Promise<R[]> {
      const runner = dataSource.createQueryRunner();
      try {
        return (await runner.query(sql, params, true)).records as R[];
      } finally {
        await runner.release();
      }
    },
    async transaction<T>(work: (tx: AuditDb) => Promise<T>): Promise<T> {
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        const result = await work(runnerDb(runner));
        await runner.commitTransaction();
        return result;
      } catch (error) {
        if (runner.isTransactionActive) await bestEffort(runner.rollbackTransaction(), 'audit.db.rollback');
        throw error;
      } finally {
        await runner.release();
      }
    },
  };
}

function clientDb(client: PoolClient): AuditDb {
  return {
    query: async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[],
    transaction: (work) => work(clientDb(client)),
  };
}

export function auditDbFromPool(pool: Pool): AuditDb {
  return {
    query: async <R>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as R[],
    async transaction<T>(work: (tx: AuditDb) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await work(clientDb(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is not returned to the pool.
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}
