import { AuditLog1763784000000 } from './1763784000000-audit-log';

export { AuditLog1763784000000 };

/**
 * The audit tables, oldest migration first. A service that records audit events appends these to its
 * own migration list (`migrations: [...chatbotMigrations, ...auditMigrations]`), so the tables live in
 * its database and the outbox can share its transactions.
 */
export const auditMigrations = [AuditLog1763784000000];
