import { Inject, Injectable, Logger } from '@nestjs/common';
import { JobProgress, newEnvelope } from '@tf/contracts';
import { DirectPublisher, errorMessage } from '@tf/messaging';
import { jobProgressEvent } from '../job-status-events';
import { STAGE_OPTIONS, StageOptions } from '../stage-options';
import { ProgressThrottle } from './progress-throttle';

/** Progress of one job: `report` as often as the work likes; `close` waits for what was accepted. */
export interface ProgressSink {
  report(percent: number, message?: string): void;
  close(): Promise<void>;
}

/**
 * Turns a stage's progress into JobProgress events of its stage (throttled: the first, then at most one
 * per TF_PROGRESS_INTERVAL_MS, and always the final 100 %), published while the job runs instead of with
 * the job's final transaction. Progress is fire-and-forget UI information that the next reading (and the
 * stage's result) supersedes, so it goes straight to Kafka (DirectPublisher: at most once) rather than
 * through the outbox, whose two transactions per event were most of a reading's way to the tracker on a
 * busy machine. Readings are sent one after another, in order (a newer one replaces one still waiting); a
 * failed one is logged and never fails the job.
 * (A parked retry's JobProgress goes straight to Kafka too: the transport's, with the retry.)
 */
/** Runs whose `started` reading went out and whose sink has not been opened yet (bounded: validate and package open none). */
const MAX_STARTED_RUNS = 1_000;

@Injectable()
export class JobProgressReporter {
  private readonly logger = new Logger(JobProgressReporter.name);
  private readonly startedRuns = new Set<string>();

  constructor(
    private readonly publisher: DirectPublisher,
    @Inject(STAGE_OPTIONS) private readonly options: StageOptions,
  ) {}

  /**
   * The stage's handler starts the job's work now, after any wait for a concurrency slot, a higher
   * priority lane or a busy partition: a JobProgress at 0 % (the `started` reading), so that the job's
   * timeline shows the stage queued until now and running from now. Awaited, so that it is on its
   * topic before any reading of the work itself; a failed send is logged and never fails the job.
   */
  async started(jobId: string, attempt: number): Promise<void> {
    // The run's own sink (forJob) then starts above 0 %: its own first 0 % would say the same again.
    this.startedRuns.add(`${jobId}#${attempt}`);
    if (this.startedRuns.size > MAX_STARTED_RUNS) this.startedRuns.delete(this.startedRuns.values().next().value!);
    const event = jobProgressEvent(newEnvelope(jobId, attempt), { stage: this.options.stage, percent: 0 });
    await this.publisher
      .publish('JobProgress', event)
      .catch((e) => this.logger.warn(`start of ${this.options.stage} for ${jobId} not published: ${errorMessage(e)}`));
  }

  forJob(jobId: string, attempt: number): ProgressSink {
    const throttle = new ProgressThrottle(this.options.progressIntervalMs);
    if (this.startedRuns.delete(`${jobId}#${attempt}`)) throttle.published(0);
    // One reading on its way and at most one waiting: a newer reading replaces the waiting one, so a slow Kafka
    // (each send may take up to 2 s) never builds a queue that close() and the job's result would wait for.
    let waiting: JobProgress | undefined;
    let sending: Promise<void> | undefined;
    const sendWaiting = async () => {
      for (let event = waiting; event; event = waiting) {
        waiting = undefined;
        await this.publisher
          .publish('JobProgress', event)
          .catch((e) => this.logger.warn(`progress ${event!.percent}% of ${jobId} not published: ${errorMessage(e)}`));
      }
      sending = undefined;
    };
    return {
      report: (percent, message) => {
        const accepted = throttle.offer(percent);
        if (accepted === undefined) return;
        waiting = jobProgressEvent(newEnvelope(jobId, attempt), {
          stage: this.options.stage,
          percent: accepted,
          message,
        });
        sending ??= sendWaiting();
      },
      close: async () => {
        await sending;
      },
    };
  }
}
