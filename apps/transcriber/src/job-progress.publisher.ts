import { Injectable, Logger } from '@nestjs/common';
import { newEnvelope } from '@tf/contracts';
import { OutboxWriter, errorMessage, jobProgressEvent } from '@tf/messaging';
import { DataSource } from 'typeorm';

export const TRANSCRIBE_STAGE = 'transcribe';

/**
 * JobProgress(stage=transcribe) events, each appended to the outbox in its own small transaction:
 * progress is fire-and-forget UI information, published while the job runs rather than with its final
 * transaction. A failed append is logged and never fails the job.
 */
@Injectable()
export class JobProgressPublisher {
  private readonly logger = new Logger(JobProgressPublisher.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  async publish(jobId: string, attempt: number, percent: number, message: string | null = null): Promise<void> {
    const event = jobProgressEvent(newEnvelope(jobId, attempt), { stage: TRANSCRIBE_STAGE, percent, message });
    try {
      await this.dataSource.transaction((tx) => this.outbox.append(tx, 'JobProgress', event));
    } catch (error) {
      this.logger.warn(`progress ${percent}% of ${jobId} not published: ${errorMessage(error)}`);
    }
  }
}
