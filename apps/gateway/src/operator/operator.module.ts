import { Module } from '@nestjs/common';
import { ControlModule } from '../control/control.module';
import { JobsModule } from '../jobs/jobs.module';
import { PipelineOpsModule } from '../pipeline-ops/pipeline-ops.module';
import { DeadLetterQueues } from './dead-letter-queues';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersService } from './dead-letters.service';
import { PipelineOverviewService } from './pipeline-overview.service';
import { PipelineStatusController } from './pipeline-status.controller';

/** The operator's admin routes over the whole pipeline: its status (`tflow ops status`), dead letters (inspect, replay). */
@Module({
  imports: [JobsModule, ControlModule, PipelineOpsModule],
  controllers: [PipelineStatusController, DeadLettersController],
  providers: [DeadLetterQueues, DeadLettersService, PipelineOverviewService],
})
export class OperatorModule {}
