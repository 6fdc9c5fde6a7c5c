import type { Consumer } from 'kafkajs';
import { decideHead } from './retry-schedule';

/**
 * Holds a retry topic's partition until its head message is due: pauses the partition, rewinds it
 * to the head (kafkajs then skips the rest of the fetched batch) and resumes it at the due time.
 * Only that partition waits; every other partition of the consumer keeps flowing.
 */
export class RetryGate {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly now: () => number = Date.now) {}

  /** True when the message was held back (not due yet); false when it is due and should be handled now. */
  holdUntilDue(consumer: Consumer, topic: string, partition: number, offset: string, dueAt: number): boolean {
    const decision = decideHead(dueAt, this.now());
    if (decision.action === 'handle') return false;
    const key = `${topic}:${partition}`;
    consumer.pause([{ topic, partitions: [partition] }]);
    consumer.seek({ topic, partition, offset });
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        consumer.resume([{ topic, partitions: [partition] }]);
      }, decision.ms),
    );
    return true;
  }

  /** Partitions currently held back. */
  get held(): number {
    return this.timers.size;
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
