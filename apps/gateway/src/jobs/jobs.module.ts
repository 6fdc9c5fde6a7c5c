import { Module } from '@nestjs/common';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
import { PlaybackLinksModule } from '../playback-links/playback-links.module';
import { JobsGauge } from './job-metrics';
import { JobQueryService } from './job-query.service';
import { JobRecordCache } from './job-record-cache';
import { JobsController } from './jobs.controller';
import { JobsRepository } from './jobs.repository';

/** The job table and the read API over it (GET /api/v1/jobs, /api/v1/jobs/:id); the status read's job cache (invalidated by live/JobEventsHub). */
@Module({
  imports: [PlaybackLinksModule],
  controllers: [JobsController],
  providers: [
    JobsRepository,
    JobQueryService,
    JobsGauge,
    {
      provide: JobRecordCache,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) =>
        new JobRecordCache({ ttlMs: config.jobCacheTtlMs, maxEntries: config.jobCacheMaxEntries }),
    },
  ],
  exports: [JobsRepository, JobQueryService, JobRecordCache],
})
export class JobsModule {}
