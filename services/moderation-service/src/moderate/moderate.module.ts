import { Module } from '@nestjs/common';
import { RuleSetsModule } from '../rule-sets/rule-sets.module';
import { ModerateController } from './moderate.controller';
import { ModerationService } from './moderation.service';

@Module({
  imports: [RuleSetsModule],
  controllers: [ModerateController],
  providers: [ModerationService],
  exports: [ModerationService],
})
export class ModerateModule {}
