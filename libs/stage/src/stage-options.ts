import type { MessageOutcomeEvents } from '@tf/messaging';

export const STAGE_OPTIONS = Symbol('STAGE_OPTIONS');

/** A job stage: a consumer group whose messages are steps of jobs. */
export interface StageOptions {
  /** Service name: its Postgres schema, Kafka client id and (as `tf-<service>`) its consumer group. */
  service: string;
  /** The stage named in the job's JobFailed and JobProgress events (transcode, transcribe, package...). */
  stage: string;
  /** Messages one instance handles at once (see MessagingOptions.concurrency); default 1. */
  concurrency?: number;
  /** Whether the stage runs long, cancellable work (JobCancellations, the broadcast listener, CancellableRuns). */
  cancellable?: boolean;
  /** Consumer group, when not `tf-<service>` (tests). */
  groupId?: string;
  /**
   * The stage's own records when one of its messages is given up on, in the transaction of the give-up's JobFailed,
   * and whether that JobFailed is still wanted (the transcoder: a split transcode's run fails its job once).
   */
  settleGiveUp?: MessageOutcomeEvents['settleGiveUp'];
  /** From TF_PROGRESS_INTERVAL_MS unless given. */
  progressIntervalMs: number;
}
