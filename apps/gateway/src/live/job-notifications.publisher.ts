import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JOB_EVENTS_CHANNEL, JobNotification } from './job-notification';

/** Announces job changes to every replica. Inside the caller's transaction: delivered only on commit. */
@Injectable()
export class JobNotificationsPublisher {
  async publish(tx: EntityManager, notification: JobNotification): Promise<void> {
    await tx.query('SELECT pg_notify($1, $2)', [JOB_EVENTS_CHANNEL, JSON.stringify(notification)]);
  }
}
