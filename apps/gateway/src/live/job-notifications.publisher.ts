import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JobRecordCache } from '../jobs/job-record-cache';
import { JOB_EVENTS_CHANNEL, JobNotification } from './job-notification';

/**
 * Announces job changes to every replica. Inside the caller's transaction: delivered only on commit. This
 * replica's own job cache keeps the job out at once (until the notification comes back), so a read here
 * right after the commit sees the change.
 */
@Injectable()
export class JobNotificationsPublisher {
  constructor(private readonly jobCache: JobRecordCache) {}

  async publish(tx: EntityManager, notification: JobNotification): Promise<void> {
    this.jobCache.changing(notification.job_id);
    await tx.query('SELECT pg_notify($1, $2)', [JOB_EVENTS_CHANNEL, JSON.stringify(notification)]);
  }
}
