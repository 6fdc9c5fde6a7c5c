import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { errorMessage } from '@tf/messaging';

/** The reason an aborted run's signal carries. */
export class JobCancelledError extends Error {
  readonly code = 'JOB_CANCELLED';

  constructor(readonly jobId: string) {
    super(`job ${jobId} was cancelled`);
    this.name = 'JobCancelledError';
  }
}

/** What a cancellable run came to: its value, or `cancelled` (nothing to emit, nothing to retry). */
export type RunOutcome<T> = { cancelled: false; value: T } | { cancelled: true };

/**
 * Cancellation of long-running stage work (an ffmpeg encode, a Whisper run). A stage runs each job
 * through `run(jobId, work)`, which hands the work an AbortSignal; a JobCancelled (seen by this
 * instance's CancelBroadcastListener, or by the stage's own consumer group) goes to `cancelled(jobId)`,
 * which records the job in the stage's `job_cancellations` table (shared by every instance of the
 * stage) and aborts this instance's runs of it. A run reports `cancelled` when its signal fired, or
 * when the table knows the job at its start or end: then the handler emits nothing, and returns
 * normally (no retry, no dead letter, no JobFailed) after removing what it wrote.
 */
@Injectable()
export class JobCancellations {
  private readonly logger = new Logger(JobCancellations.name);
  private readonly running = new Map<string, Set<AbortController>>();

  constructor(private readonly dataSource: DataSource) {}

  async isCancelled(jobId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM job_cancellations WHERE job_id = $1`, [jobId]);
    return rows.length > 0;
  }

  /** The job was cancelled: stop this instance's runs of it at once, and remember it for every instance. */
  async cancelled(jobId: string): Promise<number> {
    const aborted = this.abort(jobId);
    await this.dataSource.query(`INSERT INTO job_cancellations (job_id) VALUES ($1) ON CONFLICT DO NOTHING`, [jobId]);
    return aborted;
  }

  /** Aborts this instance's runs of the job; how many there were. */
  abort(jobId: string): number {
    const controllers = this.running.get(jobId);
    if (!controllers?.size) return 0;
    for (const c of controllers) c.abort(new JobCancelledError(jobId));
    this.logger.log(`job ${jobId} cancelled: aborting ${controllers.size} run(s) on this instance`);
    return controllers.size;
  }

  /** Jobs with a run in progress on this instance. */
  runningJobs(): string[] {
    return [...this.running.keys()];
  }

  /**
   * Runs `work` with a signal that fires when the job is cancelled. Resolves `cancelled` (whatever
   * the work returned or threw) when the signal fired or the job is known as cancelled; a failure of
   * a job that was not cancelled is rethrown (the transport retries it as before).
   * `stop`: the instance's shutdown (KafkaAvroContext.signal) also aborts the work, but is not a
   * cancel: the work's failure is rethrown, and the transport hands the message back.
   */
  async run<T>(jobId: string, work: (signal: AbortSignal) => Promise<T>, stop?: AbortSignal): Promise<RunOutcome<T>> {
    const controller = new AbortController();
    const signal = stop ? AbortSignal.any([controller.signal, stop]) : controller.signal;
    const controllers = this.running.get(jobId) ?? new Set<AbortController>();
    controllers.add(controller);
    this.running.set(jobId, controllers);
    try {
      // Registered first, checked second: a cancel arriving in between either aborts the run or is in the table.
      if (await this.isCancelled(jobId)) return { cancelled: true };
      let value: T;
      try {
        value = await work(signal);
      } catch (error) {
        if (controller.signal.aborted || (await this.isCancelledQuietly(jobId))) return { cancelled: true };
        throw error;
      }
      if (controller.signal.aborted || (await this.isCancelled(jobId))) return { cancelled: true };
      return { cancelled: false, value };
    } finally {
      controllers.delete(controller);
      if (controllers.size === 0) this.running.delete(jobId);
    }
  }

  private async isCancelledQuietly(jobId: string): Promise<boolean> {
    try {
      return await this.isCancelled(jobId);
    } catch (error) {
      this.logger.warn(`cannot tell whether job ${jobId} was cancelled: ${errorMessage(error)}`);
      return false;
    }
  }
}
