import { JobFailed, Topics, isPriority, laneTopic, newEnvelope } from '@tf/contracts';
import { toJobError } from '@tf/errors';
import { MessageOutcomeEvents } from '@tf/messaging';
import { jobFailedEvent, jobProgressEvent } from './job-status-events';

/** A job id (uuid) followed by a part suffix: the transcoder's chunk keys `<job_id>:<index>|audio|assemble`. */
const PART_KEY = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):[^:]+$/i;

/**
 * The job a message's key names: the key itself, or for a part of a job (`<job_id>:<part>`) the job id before the
 * colon; without it a part that cannot be decoded would fail a job `<job_id>:3` that the tracker does not know.
 */
const jobIdOfKey = (key: string | null): string | null => (key ? (PART_KEY.exec(key)?.[1] ?? key) : null);

/**
 * What a job stage tells the job's status about the fate of its messages:
 * - given up on (dead-lettered): the job fails, JobFailed with the stage and the failure's product code;
 * - parked for a durable retry: a JobProgress naming why it waits and when the next attempt is due.
 * Events that carry no job id (the event could not be decoded, and the message has no key) emit nothing.
 */
export function jobStageOutcomes(stage: string): MessageOutcomeEvents {
  const jobIdOf = (event: { job_id?: unknown } | undefined, key: string | null): string | null =>
    event?.job_id ? String(event.job_id) : jobIdOfKey(key);
  return {
    givenUp: ({ event, key, attempts, error }) => {
      const jobId = jobIdOf(event, key);
      if (!jobId) return null;
      const spec = (event?.spec as JobFailed['spec'] | undefined) ?? null;
      return {
        type: 'JobFailed',
        event: jobFailedEvent(newEnvelope(jobId, attempts), { spec, stage, error: toJobError(error, stage) }),
      };
    },
    retryScheduled: ({ event, key, level, dueAt, reason }) => {
      const jobId = jobIdOf(event, key);
      if (!jobId) return null;
      // The attempt that comes next, in the job's priority lane (JobProgress carries no spec of its own).
      const progress = jobProgressEvent(newEnvelope(jobId, level + 1), {
        stage,
        percent: 0,
        message: reason,
        next_attempt_at: dueAt,
      });
      const priority = (event?.spec as { priority?: unknown } | null | undefined)?.priority;
      return {
        type: 'JobProgress',
        event: progress,
        topic: laneTopic(Topics.JobProgress, isPriority(priority) ? priority : 'normal'),
      };
    },
  };
}
