import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { LiveModule } from '../live/live.module';
import { AdminJobsController } from './admin-jobs.controller';
import { JobControlController } from './job-control.controller';
import { JobControlService } from './job-control.service';

/** Job control: cancel, retry, backfill. */
@Module({
  imports: [JobsModule, LiveModule],
  controllers: [JobControlController, AdminJobsController],
  providers: [JobControlService],
  exports: [JobControlService],
})
export class ControlModule {}
