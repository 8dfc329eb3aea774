import { Module } from '@nestjs/common';
import { IntentsController } from './intents.controller';
import { IntentsRepository } from './intents.repository';
import { IntentsService } from './intents.service';

@Module({
  controllers: [IntentsController],
  providers: [IntentsRepository, IntentsService],
  exports: [IntentsRepository],
})
export class IntentsModule {}
