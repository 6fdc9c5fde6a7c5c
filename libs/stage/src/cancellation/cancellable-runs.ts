import { Injectable, Logger } from '@nestjs/common';
import type { Envelope } from '@tf/contracts';
import { KafkaAvroContext, OutboxWriter } from '@tf/messaging';
import { EntityManager } from 'typeorm';
import { JobProgressReporter } from '../progress/job-progress.reporter';
import { StageTiming } from '../timing/stage-timing';
import { JobCancellations } from './job-cancellations';

/** One job's long work in a stage handler, as runCancellable takes it. */
export interface CancellableWork<T> {
  /** The event the work answers: its job, and when it was written upstream (the stage's queue wait). */
  event: Pick<Envelope, 'job_id' | 'occurred_at'>;
  /** Names the work in the log ("transcode", "transcription", "packaging"). */
  name: string;
  /** The long part (ffmpeg, Whisper): stop when the signal fires (the job's cancel, or the instance's shutdown). */
  run(signal: AbortSignal): Promise<T>;
  /** Removes what the work may have written (a cancelled job leaves nothing behind); how many objects there were. */
  discard(): Promise<number>;
  /** The result's state change and outgoing events, in the message's exactly-once transaction. */
  apply(tx: EntityManager, outbox: OutboxWriter, value: T): Promise<void>;
}

/**
 * The one way a stage runs a job's long work (transcoder, transcriber, hls): skip an event the group
 * already applied, run the work under the job's cancellation and the instance's shutdown
 * (JobCancellations.run), then either apply its result exactly once or, when the job was cancelled
 * before, during or right after it, discard what it wrote and emit nothing (no retry, no JobFailed).
 * Timed by StageTiming from the start of the run to the result's transaction (a cancelled run is not observed).
 */
@Injectable()
export class CancellableRuns {
  private readonly logger = new Logger(CancellableRuns.name);

  constructor(
    private readonly cancellations: JobCancellations,
    private readonly timing: StageTiming,
    private readonly progress: JobProgressReporter,
  ) {}

  async runCancellable<T>(ctx: KafkaAvroContext, work: CancellableWork<T>): Promise<void> {
    if (await ctx.alreadyProcessed()) return;
    const jobId = work.event.job_id;
    const timer = this.timing.start(ctx, work.event);
    try {
      // The handler got its slot and starts the work: the job's timeline shows the stage running from here.
      await this.progress.started(jobId, ctx.meta.attempt);
      const outcome = await this.cancellations.run(jobId, (signal) => work.run(signal), ctx.signal);
      if (outcome.cancelled) {
        timer.abandoned();
        const removed = await work.discard();
        this.logger.log(`${jobId}: cancelled, ${work.name} abandoned (${removed} object(s) removed)`);
        return;
      }
      await ctx.processOnce((tx, outbox) => work.apply(tx, outbox, outcome.value));
      timer.ok();
    } catch (error) {
      timer.failed();
      throw error;
    }
  }

  /**
   * A JobCancelled of the stage's own group (it gets each one once, even when no instance was listening
   * to the broadcast then): remember it, stop a run of it here, and remove what the job left.
   */
  async cancelled(jobId: string, discard: () => Promise<number>): Promise<void> {
    await this.cancellations.cancelled(jobId);
    await discard();
  }
}
