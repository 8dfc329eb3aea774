import { queryRows, sql } from '@casebook/platform';
import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AuthErrorCode, unauthenticated } from '../errors';
import type { PasswordHasher } from '../passwords/password-hasher';

export interface ServiceClient {
  id: string;
  name: string;
  scopes: string[];
  audiences: string[];
}

/**
 * Q10.x: clients of the client-credentials grant. A service exchanges its id and secret for a
 * short-lived token whose audience is one target service; the target verifies it through JWKS, so
 * no secret is shared between services.
 */
export class ServiceClients {
  constructor(
    private readonly db: DataSource,
    private readonly hasher: PasswordHasher,
  ) {}

  async create(
    input: { name: string; scopes: string[]; audiences: string[] },
    within?: (tx: EntityManager, client: ServiceClient) => Promise<void>,
  ): Promise<{ clientSecret: string; client: ServiceClient }> {
    const clientSecret = randomBytes(32).toString('base64url');
    const secretHash = await this.hasher.hash(clientSecret);
    const client = await this.db.transaction(async (tx) => {
      const rows: ServiceClient[] = await queryRows(
        tx,
        sql`INSERT INTO service_clients (name, secret_hash, scopes, audiences) VALUES (${input.name}, ${secretHash}, ${input.scopes}, ${input.audiences})
         RETURNING id, name, scopes, audiences`,
      );
      await within?.(tx, rows[0]!);
      return rows[0]!;
    });
    return { clientSecret, client };
  }

  async authenticate(name: string, secret: string): Promise<ServiceClient> {
    const rows: (ServiceClient & { secretHash: string })[] = await queryRows(
      this.db,
      sql`SELECT id, name, scopes, audiences, secret_hash AS "secretHash" FROM service_clients
        WHERE name = ${name} AND revoked_at IS NULL`,
    );
    const row = rows[0];
    const ok = await this.hasher.verifyOrDummy(row?.secretHash ?? null, secret);
    if (!row || !ok) throw unauthenticated(AuthErrorCode.InvalidCredentials, 'The client credentials are not valid.');
    return { id: row.id, name: row.name, scopes: row.scopes, audiences: row.audiences };
  }
}
