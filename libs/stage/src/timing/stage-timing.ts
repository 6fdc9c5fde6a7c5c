import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Envelope } from '@tf/contracts';
import { type KafkaAvroContext, readRetryHeaders } from '@tf/messaging';
import { STAGE_OPTIONS, StageOptions } from '../stage-options';
import { StageOutcome, stageDuration, stageQueueWait } from './stage-metrics';

/** Milliseconds since the epoch: wall time, since the queue wait starts in another process (the event's occurred_at). */
export type StageClock = () => number;
/** Replaces Date.now (unit tests). */
export const STAGE_CLOCK = Symbol('STAGE_CLOCK');

/** One started piece of stage work; exactly one of its ends counts (the first). */
export interface StageRunTimer {
  /** The output was written (the message's exactly-once transaction committed). */
  ok(): void;
  /** The attempt threw (the transport retries, parks or dead-letters the message). */
  failed(): void;
  /** Neither: the job was cancelled meanwhile and nothing was written; no duration is observed. */
  abandoned(): void;
}

/**
 * The one place a stage's time is measured (tf_stage_queue_wait_seconds, tf_stage_duration_seconds),
 * labelled with the stage of StageModule.forRoot. A handler calls it where its work really starts,
 * i.e. after the transport gave the message a consumer slot and after the inbox said the event is new
 * (a duplicate delivery costs nothing and is not counted):
 * - queue wait = now − the upstream event's occurred_at (set when the upstream wrote it in its outbox
 *   transaction), observed for a message's first delivery only: an in-process retry (attempt > 1) or a
 *   message back from a durable retry topic waited for its backoff, not for the stage;
 * - duration = start → output written (ok) or → the attempt's failure (failed); a cancelled run is not observed.
 */
@Injectable()
export class StageTiming {
  private readonly now: StageClock;

  constructor(
    @Inject(STAGE_OPTIONS) private readonly options: Pick<StageOptions, 'stage'>,
    @Optional() @Inject(STAGE_CLOCK) clock?: StageClock,
  ) {
    this.now = clock ?? Date.now;
  }

  /** Work on `upstream` starts now. */
  start(ctx: KafkaAvroContext, upstream: Pick<Envelope, 'occurred_at'>): StageRunTimer {
    const { stage } = this.options;
    const startedAt = this.now();
    if (isFirstDelivery(ctx) && Number.isFinite(upstream.occurred_at))
      stageQueueWait.observe({ stage }, Math.max(0, startedAt - upstream.occurred_at) / 1000);
    let ended = false;
    const end = (outcome: StageOutcome | null) => {
      if (ended) return;
      ended = true;
      if (outcome) stageDuration.observe({ stage, outcome }, Math.max(0, this.now() - startedAt) / 1000);
    };
    return { ok: () => end('ok'), failed: () => end('failed'), abandoned: () => end(null) };
  }

  /** Runs `work` (which writes the stage's output) as one timed piece of stage work. */
  async measure<T>(ctx: KafkaAvroContext, upstream: Pick<Envelope, 'occurred_at'>, work: () => Promise<T>): Promise<T> {
    const timer = this.start(ctx, upstream);
    try {
      const value = await work();
      timer.ok();
      return value;
    } catch (error) {
      timer.failed();
      throw error;
    }
  }
}

/** The transport's first attempt at a message that did not come back from a durable retry topic. */
function isFirstDelivery(ctx: KafkaAvroContext): boolean {
  return ctx.meta.attempt === 1 && readRetryHeaders(ctx.meta.headers) === null;
}
