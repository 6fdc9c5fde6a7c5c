import { EventTypeByTopic, Topic, parseLaneTopic } from '@tf/contracts';
import type { DeadLetter } from '@tf/messaging';

/** A consumer group id as the pipeline names them (`tf-transcoder`, `tf-gateway-jobs`). */
export const CONSUMER_GROUP_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;
export const DEFAULT_DEAD_LETTER_LIMIT = 50;
export const MAX_DEAD_LETTER_LIMIT = 500;
/** The most dead letters one replay goes through (the newest; a replay without a job reads the whole topic). */
export const MAX_REPLAY = 1000;

export const REPLAY_ACTIONS = ['job_retried', 'redelivered'] as const;
export type ReplayAction = (typeof REPLAY_ACTIONS)[number];

/** The envelope fields of a dead letter's event, when its bytes decode. */
export interface DecodedEnvelope {
  event_id: string;
  job_id: string;
}

export type ReplayRoute =
  { action: ReplayAction; jobId: string } | { action: 'skip'; jobId: string | null; code: string; message: string };

/**
 * How a dead letter goes back through the normal path, exactly once:
 * - a job stage's group (its give-up failed the job with a JobFailed, and its inbox holds the event id,
 *   so the same bytes would be skipped): the job retry (POST /api/v1/jobs/:id/retry), which restarts
 *   the failed stage(s) with fresh inputs under the job's row lock and only while the job is failed,
 *   so a second replay, or one of a job that was retried, completed or cancelled since, changes nothing;
 * - the gateway's own tracker group (its give-up emits nothing and claims nothing): the same bytes back to
 *   that group alone (its first retry topic, due now); its inbox applies the event id at most once.
 */
export function replayRouteFor(
  deadLetter: Pick<DeadLetter, 'key' | 'record'>,
  decoded: DecodedEnvelope | null,
  trackerGroup: string,
): ReplayRoute {
  const jobId = decoded?.job_id ?? deadLetter.key;
  if (!jobId) return unreadable(null, 'it names no job (no key, and its bytes do not decode)');
  if (deadLetter.record.consumerGroup !== trackerGroup) return { action: 'job_retried', jobId };
  if (!decoded) return unreadable(jobId, 'its bytes do not decode: handled again, it would fail the same way');
  if (!deadLetter.record.originalTopic) return unreadable(jobId, 'its headers do not say which topic it came from');
  return { action: 'redelivered', jobId };
}

const unreadable = (jobId: string | null, why: string): ReplayRoute => ({
  action: 'skip',
  jobId,
  code: 'DEAD_LETTER_UNREADABLE',
  message: `Not replayed: ${why}`,
});

/** The event type a dead letter's original topic carries (any lane), or null for another topic. */
export function eventTypeOf(originalTopic: string | null): string | null {
  if (!originalTopic) return null;
  return EventTypeByTopic[parseLaneTopic(originalTopic).base as Topic] ?? null;
}
