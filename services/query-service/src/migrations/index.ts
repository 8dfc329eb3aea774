import { DatasetCatalog1763769600000 } from './1763769600000-dataset-catalog';

/** Every migration of query-service, oldest first. */
export const queryMigrations = [DatasetCatalog1763769600000];
