import type { EventType, EventsByType } from '@tf/contracts';
import type { EntityManager } from 'typeorm';

/**
 * An event the transport emits on a consumer's behalf, with its type name (the outbox row's and the
 * codec's) and, when not the type's topic in the lane of the event's spec.priority, its topic.
 */
export type OutgoingEvent = { [T in EventType]: { type: T; event: EventsByType[T]; topic?: string } }[EventType];

/** A message the transport gave up on: dead-lettered after its attempts (or at once, for a NonRetryableError). */
export interface GivenUpMessage {
  /** The topic its handler listens to (the original one for a message from a retry topic). */
  topic: string;
  key: string | null;
  /** The decoded event, when decoding got that far. */
  event?: { event_id?: unknown; job_id?: unknown; spec?: unknown };
  attempts: number;
  error: unknown;
}

/** A message parked on a delayed retry topic after a transient failure. */
export interface ScheduledRetryNotice {
  key: string | null;
  event?: { job_id?: unknown; spec?: unknown };
  /** The retry level it waits for (1 = first durable retry) and when it is due. */
  level: number;
  dueAt: number;
  /** The failure's product code (why it waits). */
  reason: string;
}

/** What a group recorded in a give-up's transaction, and whether its `givenUp` event is still wanted. */
export interface GiveUpSettlement {
  /** false: append no `givenUp` event (e.g. the job already failed through another message of the same work). */
  emit: boolean;
  /** Called once the give-up's transaction committed (a metric counted once, never for a rolled-back attempt). */
  committed?: () => void;
}

/**
 * What a consumer group tells the rest of the system about the fate of its messages. The transport
 * stays generic (it knows topics, retries and dead letters, not jobs); libs/stage fills these in to turn
 * a give-up into a JobFailed and a parked retry into a JobProgress. Groups without them (the gateway's
 * tracker) only dead-letter and park.
 */
export interface MessageOutcomeEvents {
  /** Appended through the outbox, exactly once per event id (the inbox claims it); null emits nothing. */
  givenUp?(message: GivenUpMessage): OutgoingEvent | null;
  /**
   * The group's own records of a give-up, in the same exactly-once transaction as the `givenUp` event and before
   * it (the transcoder fails a split transcode's run under its row lock, so that one run fails its job once).
   */
  settleGiveUp?(tx: EntityManager, message: GivenUpMessage): Promise<GiveUpSettlement>;
  /**
   * Sent straight to Kafka, not through the outbox: the database may be the very thing that is down, and
   * the event is informational (a lost one leaves the retry standing). null emits nothing.
   */
  retryScheduled?(notice: ScheduledRetryNotice): OutgoingEvent | null;
}
