import { Module } from '@nestjs/common';
import { CacheAdminController } from '../admin/cache-admin.controller';
import { CacheAdminService } from '../admin/cache-admin.service';
import { QueryCacheLifecycle, queryCacheProvider } from '../cache/query-cache';
import { WarehouseModule } from '../warehouse/warehouse.module';
import { QueryFrequency } from '../warming/query-frequency';
import { WarmingQueue } from '../warming/warming.queue';
import { WarmingService } from '../warming/warming.service';
import { AskService } from './ask.service';
import { QueriesController } from './queries.controller';
import { QueriesService } from './queries.service';

/** Questions in, answers out: the cache, the planner, warming and the cache admin API. */
@Module({
  imports: [WarehouseModule],
  controllers: [QueriesController, CacheAdminController],
  providers: [
    queryCacheProvider,
    QueryCacheLifecycle,
    QueriesService,
    AskService,
    CacheAdminService,
    QueryFrequency,
    WarmingService,
    WarmingQueue,
  ],
  exports: [QueriesService, WarmingService],
})
export class QueriesModule {}
