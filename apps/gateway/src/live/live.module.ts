import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { JobsModule } from '../jobs/jobs.module';
import { JobEventsController } from './job-events.controller';
import { JobEventsHub } from './job-events.hub';
import { JobEventsService } from './job-events.service';
import { JobNotificationsPublisher } from './job-notifications.publisher';

/** The live job feed: pg NOTIFY on commit, one LISTEN per replica, fanned out to SSE and GraphQL subscriptions (JobEventsService.open: one subscribe-then-snapshot for both). */
@Module({
  imports: [AccessModule, JobsModule],
  controllers: [JobEventsController],
  providers: [JobEventsHub, JobEventsService, JobNotificationsPublisher],
  exports: [JobEventsHub, JobEventsService, JobNotificationsPublisher],
})
export class LiveModule {}
