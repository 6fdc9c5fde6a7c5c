import { Module } from '@nestjs/common';
import { HEALTH_CHECKS, HealthCheck, OpsController } from '@tf/runtime';
import { DataSource } from 'typeorm';
import { JobEventsHub } from '../live/job-events.hub';
import { LiveModule } from '../live/live.module';

/** GET /health (the database and this replica's LISTEN connection) and GET /metrics. */
@Module({
  imports: [LiveModule],
  controllers: [OpsController],
  providers: [
    {
      provide: HEALTH_CHECKS,
      inject: [DataSource, JobEventsHub],
      useFactory: (dataSource: DataSource, hub: JobEventsHub): HealthCheck[] => [
        { name: 'database', check: async () => void (await dataSource.query('SELECT 1')) },
        { name: 'job_events', check: async () => hub.assertListening() },
      ],
    },
  ],
})
export class OpsModule {}
