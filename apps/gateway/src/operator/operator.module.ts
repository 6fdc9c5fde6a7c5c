import { Module } from '@nestjs/common';
import { ControlModule } from '../control/control.module';
import { JobsModule } from '../jobs/jobs.module';
import { DeadLetterQueues } from './dead-letter-queues';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersService } from './dead-letters.service';

/** The operator's admin routes over the whole pipeline: dead letters (inspect, replay). */
@Module({
  imports: [JobsModule, ControlModule],
  controllers: [DeadLettersController],
  providers: [DeadLetterQueues, DeadLettersService],
})
export class OperatorModule {}
