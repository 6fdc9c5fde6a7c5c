import { EventTypeByTopic, PipelineConsumerGroup, Topic, parseLaneTopic } from '@tf/contracts';
import type { DeadLetter, DeadLetterQueue } from '@tf/messaging';
import { RESTARTABLE_STAGES, RestartableStage } from '../control';

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
  | { action: 'job_retried'; jobId: string; failedAt: RestartableStage }
  | { action: 'redelivered'; jobId: string }
  | { action: 'skip'; jobId: string | null; code: string; message: string };

/**
 * How a dead letter goes back through the normal path, exactly once, by the group that parked it
 * (the pipeline's registry of consumer groups, @tf/contracts):
 * - a job stage's group (its give-up failed the job with a JobFailed, and its inbox holds the event id,
 *   so the same bytes would be skipped): the job retry (POST /api/v1/jobs/:id/retry), which restarts
 *   the failed stage(s) with fresh inputs under the job's row lock, and only while the job is failed at
 *   that group's stage, so a second replay, or one of a job retried, completed or cancelled since,
 *   changes nothing;
 * - the gateway's job tracker (no stage: its give-up emits nothing and claims nothing): the same bytes
 *   back to that group alone (its first retry topic, due now); its inbox applies the event id at most once;
 * - the notifier (a retry does not restart notifications) and groups outside the pipeline: not replayed.
 */
export function replayRouteFor(
  deadLetter: Pick<DeadLetter, 'key' | 'record'>,
  decoded: DecodedEnvelope | null,
  groups: readonly PipelineConsumerGroup[],
): ReplayRoute {
  const jobId = decoded?.job_id ?? deadLetter.key;
  const group = groups.find((g) => g.group === deadLetter.record.consumerGroup);
  if (!group) return notReplayable(jobId, `${deadLetter.record.consumerGroup} is not a consumer group of the pipeline`);
  if (!jobId) return unreadable(null, 'it names no job (no key, and its bytes do not decode)');
  if (group.stage === null) {
    if (!decoded) return unreadable(jobId, 'its bytes do not decode: handled again, it would fail the same way');
    if (!deadLetter.record.originalTopic) return unreadable(jobId, 'its headers do not say which topic it came from');
    return { action: 'redelivered', jobId };
  }
  const stage = group.stage;
  if (!isRestartable(stage))
    return notReplayable(
      jobId,
      `a job retry does not restart the ${stage} stage (webhooks: POST /api/v1/webhooks/deliveries/:id/redeliver)`,
    );
  return { action: 'job_retried', jobId, failedAt: stage };
}

const isRestartable = (stage: string): stage is RestartableStage =>
  (RESTARTABLE_STAGES as readonly string[]).includes(stage);

const unreadable = (jobId: string | null, why: string): ReplayRoute => ({
  action: 'skip',
  jobId,
  code: 'DEAD_LETTER_UNREADABLE',
  message: `Not replayed: ${why}`,
});

const notReplayable = (jobId: string | null, why: string): ReplayRoute => ({
  action: 'skip',
  jobId,
  code: 'NOT_REPLAYABLE',
  message: `Not replayed: ${why}`,
});

/** The event type a dead letter's original topic carries (any lane), or null for another topic. */
export function eventTypeOf(originalTopic: string | null): string | null {
  if (!originalTopic) return null;
  return EventTypeByTopic[parseLaneTopic(originalTopic).base as Topic] ?? null;
}

/**
 * Every pipeline group's queue, in the chain's order, then any other group's that holds dead letters
 * (a group outside the registry with an empty topic is left out: test groups of the local stack).
 */
export function pipelineFirst(
  queues: readonly DeadLetterQueue[],
  groups: readonly PipelineConsumerGroup[],
): DeadLetterQueue[] {
  const order = new Map(groups.map((g, i) => [g.group, i]));
  return queues
    .filter((q) => order.has(q.group) || q.depth > 0)
    .sort((a, b) => (order.get(a.group) ?? order.size) - (order.get(b.group) ?? order.size));
}
