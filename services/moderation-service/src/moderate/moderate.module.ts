import { Module } from '@nestjs/common';
import { ModerateController } from './moderate.controller';
import { ModerationService } from './moderation.service';

@Module({ controllers: [ModerateController], providers: [ModerationService], exports: [ModerationService] })
export class ModerateModule {}
