import { Module } from '@nestjs/common';
import { DataVersions } from './data-versions';
import { WarehouseClient } from './warehouse.client';
import { WarehouseListener } from './warehouse.listener';

@Module({
  providers: [DataVersions, WarehouseClient, WarehouseListener],
  exports: [DataVersions, WarehouseClient, WarehouseListener],
})
export class WarehouseModule {}
