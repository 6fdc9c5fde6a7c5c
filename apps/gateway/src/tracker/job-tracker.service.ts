import { Injectable, Logger } from '@nestjs/common';
import { newEnvelope } from '@tf/contracts';
import { OutboxWriter } from '@tf/messaging';
import { EntityManager } from 'typeorm';
import { notificationFor } from '../live/job-notification';
import { JobNotificationsPublisher } from '../live/job-notifications.publisher';
import { JobsRepository, isJobId } from '../jobs/jobs.repository';
import { TrackerOutcome, applyTrackerEvent } from './apply-tracker-event';
import { TrackerEvent } from './tracker-event';

/**
 * The one owner of job state: applies a stage event to its job under the row lock, and in the same
 * transaction (the handler's processOnce) writes the VideoCompleted that the fan-in asks for and
 * the notifications for the SSE streams.
 */
@Injectable()
export class JobTrackerService {
  private readonly logger = new Logger(JobTrackerService.name);

  constructor(
    private readonly jobs: JobsRepository,
    private readonly notifications: JobNotificationsPublisher,
  ) {}

  /** The outcome, or null for an unknown job; the caller acts on it (metrics) once the transaction committed. */
  async apply(tx: EntityManager, outbox: OutboxWriter, input: TrackerEvent): Promise<TrackerOutcome | null> {
    const jobId = input.event.job_id;
    const current = await this.jobs.lockForUpdate(tx, jobId);
    if (!current) {
      // Not a gateway job (another producer's test fixture, or a purged job): nothing to track.
      const log = isJobId(jobId) ? 'warn' : 'debug';
      this.logger[log](`${input.type} for unknown job ${jobId}: ignored`);
      return null;
    }
    const outcome = applyTrackerEvent(current, input, new Date());
    if (outcome.changes.length === 0) return outcome;
    await this.jobs.update(tx, outcome.job);
    if (outcome.completedOutputs) {
      await outbox.append(tx, 'VideoCompleted', {
        ...newEnvelope(jobId),
        spec: outcome.job.spec,
        outputs: outcome.completedOutputs,
      });
      this.logger.log(`job ${jobId} completed with ${outcome.completedOutputs.length} outputs`);
    }
    for (const change of outcome.changes) await this.notifications.publish(tx, notificationFor(outcome.job, change));
    return outcome;
  }
}
