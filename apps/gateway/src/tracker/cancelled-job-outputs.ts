import { Injectable, Logger } from '@nestjs/common';
import { Buckets, ObjectStorage } from '@tf/storage';

/**
 * Removes what a cancelled job produced: processed-videos/{job}/ and hls-streams/{job}/. The stages
 * remove what they write themselves when they see the cancel (work in flight); this is the gateway's
 * one sweep for work that had already finished. Idempotent. The source in raw-videos stays.
 */
@Injectable()
export class CancelledJobOutputs {
  private readonly logger = new Logger(CancelledJobOutputs.name);

  constructor(private readonly storage: ObjectStorage) {}

  async remove(jobId: string): Promise<number> {
    const counts = await Promise.all(
      [Buckets.processed, Buckets.hls].map((bucket) => this.storage.removePrefix(bucket, `${jobId}/`)),
    );
    const removed = counts.reduce((a, b) => a + b, 0);
    this.logger.log(`cancelled job ${jobId}: ${removed} output object(s) removed`);
    return removed;
  }
}
