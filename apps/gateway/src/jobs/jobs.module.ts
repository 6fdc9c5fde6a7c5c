import { Module } from '@nestjs/common';
import { PlaybackLinksModule } from '../playback-links/playback-links.module';
import { JobsGauge } from './job-metrics';
import { JobQueryService } from './job-query.service';
import { JobsController } from './jobs.controller';
import { JobsRepository } from './jobs.repository';

/** The job table and the read API over it (GET /api/v1/jobs, /api/v1/jobs/:id). */
@Module({
  imports: [PlaybackLinksModule],
  controllers: [JobsController],
  providers: [JobsRepository, JobQueryService, JobsGauge],
  exports: [JobsRepository, JobQueryService],
})
export class JobsModule {}
