import type { JobChange } from '../jobs/job-change';
import { advanceProgress } from '../jobs/job-progress';
import type { JobRecord, JobStatus } from '../jobs/job-record';

/** The Postgres channel every gateway replica LISTENs on. */
export const JOB_EVENTS_CHANNEL = 'tf_job_events';

type JobNotificationType = JobChange['type'] | 'created';

/**
 * What goes through pg_notify for one change of a job: small (NOTIFY payloads stop at 8000 bytes),
 * enough for a progress bar, and versioned so a stream can drop what its snapshot already shows.
 */
export interface JobNotification extends Omit<JobChange, 'type'> {
  job_id: string;
  /** The job's tenant, for the tenant-wide streams (absent from a replica of before them: those skip it). Never sent to clients. */
  tenant_id?: string;
  type: JobNotificationType;
  /** Job status after the change. */
  status: JobStatus;
  /** JobRecord.version after the change. */
  version: number;
  /** The job's overall progress after the change (0..100, never goes back): what GET shows as overall_progress. Absent from a replica of before it existed. */
  overall_progress?: number;
}

export const notificationFor = (job: JobRecord, change: JobChange): JobNotification => ({
  job_id: job.id,
  tenant_id: job.tenantId,
  version: job.version,
  status: job.status,
  overall_progress: advanceProgress(job),
  ...change,
});

export const isTerminalNotification = (n: JobNotification): boolean =>
  n.type === 'completed' || n.type === 'failed' || n.type === 'cancelled';

/** What a client gets of a notification: everything but the routing field. */
export const clientEventOf = (notification: JobNotification): Omit<JobNotification, 'tenant_id'> => {
  const { tenant_id: _tenant, ...event } = notification;
  return event;
};
