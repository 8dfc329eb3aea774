import { runSeedCli } from '@casebook/platform';
import { loadQueryConfig } from '../config';
import { createQueryDataSource } from '../data-source';
import { seedQuery } from '../seed';

void runSeedCli('query-service', () => createQueryDataSource(loadQueryConfig()), seedQuery);
