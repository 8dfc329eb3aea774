import { Identity1763776800000 } from './1763776800000-identity';

/** Migrations of the identity schema, appended by the identity provider to its own list. */
export const authMigrations = [Identity1763776800000];
