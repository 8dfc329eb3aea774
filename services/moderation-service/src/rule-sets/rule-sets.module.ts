import { Module } from '@nestjs/common';
import { LiveSnapshots } from './live-snapshots';
import { RuleSetsController } from './rule-sets.controller';
import { RuleSetsRepository } from './rule-sets.repository';
import { RuleSetsService } from './rule-sets.service';

@Module({
  controllers: [RuleSetsController],
  providers: [RuleSetsRepository, LiveSnapshots, RuleSetsService],
  exports: [LiveSnapshots],
})
export class RuleSetsModule {}
