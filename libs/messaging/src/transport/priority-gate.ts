import { higherLanesThan } from '@tf/contracts';
import { Admin, Consumer } from 'kafkajs';

/**
 * Lets higher priority lanes drain first. Before a message of a lower lane is handled, the gate asks
 * whether a higher lane of the same topic has a backlog for this consumer group (committed offset
 * behind the end of the log). If so, the message's partition is paused and rewound to it, and
 * resumed once the higher lanes are empty: the message is handled later, never skipped.
 */
export class PriorityGate {
  private readonly lagCache = new Map<string, { at: number; lag: Promise<number> }>();
  private readonly paused = new Map<string, { topic: string; partition: number }>();
  private timer?: NodeJS.Timeout;

  /**
   * `startedUpTo(topic, partition)`: one past the last offset this instance already started in a
   * partition it owns. A running message is not a backlog: without it, a slow job of a higher lane
   * (a tenant may choose `priority: high`) would hold every lower-lane job of the stage until it ends.
   */
  constructor(
    private readonly admin: Admin,
    private readonly groupId: string,
    private readonly refreshMs = 500,
    private readonly startedUpTo: (topic: string, partition: number) => bigint | undefined = () => undefined,
  ) {}

  start(consumer: Consumer): void {
    this.timer = setInterval(() => void this.resumeDrained(consumer), this.refreshMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** True when the message was parked (paused and rewound) because a higher lane has work. */
  async parkIfOutranked(consumer: Consumer, topic: string, partition: number, offset: string): Promise<boolean> {
    if (!(await this.higherLanesBusy(topic))) return false;
    consumer.pause([{ topic, partitions: [partition] }]);
    consumer.seek({ topic, partition, offset });
    this.paused.set(`${topic}:${partition}`, { topic, partition });
    return true;
  }

  private async higherLanesBusy(topic: string): Promise<boolean> {
    for (const lane of higherLanesThan(topic)) if ((await this.lag(lane)) > 0) return true;
    return false;
  }

  private async resumeDrained(consumer: Consumer): Promise<void> {
    for (const [key, { topic, partition }] of this.paused) {
      if (await this.higherLanesBusy(topic).catch(() => true)) continue;
      this.paused.delete(key);
      consumer.resume([{ topic, partitions: [partition] }]);
    }
  }

  /** Messages of `topic` not yet committed by this group nor started here, cached for `refreshMs`. */
  private lag(topic: string): Promise<number> {
    const cached = this.lagCache.get(topic);
    if (cached && Date.now() - cached.at < this.refreshMs) return cached.lag;
    const lag = this.readLag(topic).catch(() => 0);
    this.lagCache.set(topic, { at: Date.now(), lag });
    return lag;
  }

  private async readLag(topic: string): Promise<number> {
    const [ends, [committed]] = await Promise.all([
      this.admin.fetchTopicOffsets(topic),
      this.admin.fetchOffsets({ groupId: this.groupId, topics: [topic] }),
    ]);
    const done = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
    return ends.reduce((sum, p) => {
      const started = Number(this.startedUpTo(topic, p.partition) ?? -1);
      const from = Math.max(done.get(p.partition) ?? -1, Number(p.low), started);
      return sum + Math.max(0, Number(p.high) - from);
    }, 0);
  }
}
