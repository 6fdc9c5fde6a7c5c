import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { LiveModule } from '../live/live.module';
import { CancelledJobOutputs } from './cancelled-job-outputs';
import { JobTrackerHandler } from './job-tracker.handler';
import { JobTrackerService } from './job-tracker.service';

/** The job tracker: the one owner of job state, fed by every stage's events (group tf-gateway-jobs). */
@Module({
  imports: [JobsModule, LiveModule],
  controllers: [JobTrackerHandler],
  providers: [JobTrackerService, CancelledJobOutputs],
})
export class TrackerModule {}
