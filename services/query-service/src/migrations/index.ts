import { DatasetCatalog1763769600000 } from './1763769600000-dataset-catalog';
import { WarehouseStarSchema1795314323731 } from './1795314323731-warehouse-star-schema';

/** Every migration of query-service, oldest first. */
export const queryMigrations = [DatasetCatalog1763769600000, WarehouseStarSchema1795314323731];
