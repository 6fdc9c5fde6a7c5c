import { Injectable, Logger } from '@nestjs/common';
import { newEnvelope } from '@tf/contracts';
import { OutboxWriter, errorMessage, jobProgressEvent } from '@tf/messaging';
import { DataSource } from 'typeorm';
import { ProgressThrottle } from './progress-throttle';
import { TranscoderConfig } from './transcoder.config';

export const TRANSCODE_STAGE = 'transcode';

/** Progress of one job: `report` as often as ffmpeg likes; `close` waits for what was accepted. */
export interface ProgressSink {
  report(percent: number, message?: string): void;
  close(): Promise<void>;
}

/**
 * Turns ffmpeg progress into JobProgress events (throttled), each appended to the outbox in its own
 * small transaction: progress is fire-and-forget UI information, so it is published while the job
 * runs instead of waiting for the job's final transaction. Appends run one after another, in order;
 * a failed append is logged and never fails the transcode.
 */
@Injectable()
export class JobProgressPublisher {
  private readonly logger = new Logger(JobProgressPublisher.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly config: TranscoderConfig,
  ) {}

  forJob(jobId: string, attempt: number): ProgressSink {
    const throttle = new ProgressThrottle(this.config.progressIntervalMs);
    let queue = Promise.resolve();
    return {
      report: (percent, message) => {
        const accepted = throttle.offer(percent);
        if (accepted === undefined) return;
        const event = jobProgressEvent(newEnvelope(jobId, attempt), { stage: TRANSCODE_STAGE, percent: accepted, message });
        queue = queue
          .then(() => this.dataSource.transaction((tx) => this.outbox.append(tx, 'JobProgress', event)))
          .catch((e) => this.logger.warn(`progress ${accepted}% of ${jobId} not published: ${errorMessage(e)}`));
      },
      close: () => queue,
    };
  }
}
