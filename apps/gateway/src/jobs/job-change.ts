import type { JobError, StageStatus } from './job-record';

/** `cancelled` and `retried` come from the job control (src/control), the others from stage events. */
type JobChangeType = 'progress' | 'stage' | 'completed' | 'failed' | 'cancelled' | 'retried';

/** One observable change, announced to SSE streams (see JobNotification). */
export interface JobChange {
  type: JobChangeType;
  stage: string | null;
  stage_status: StageStatus | null;
  percent: number | null;
  detail: string | null;
  error: JobError | null;
}
