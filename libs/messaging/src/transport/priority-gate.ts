import { higherLanesThan } from '@tf/contracts';
import { Admin, Consumer } from 'kafkajs';

/** How long after a message asked about a lane the timer keeps reading it. */
const KEEP_FRESH_MS = 60_000;

/**
 * Lets higher priority lanes drain first. Before a message of a lower lane is handled, the gate asks
 * whether a higher lane of the same topic has a backlog for this consumer group (committed offset
 * behind the end of the log). If so, the message's partition is paused and rewound to it, and
 * resumed once the higher lanes are empty: the message is handled later, never skipped.
 */
export class PriorityGate {
  private readonly lagCache = new Map<string, { at: number; reading: Promise<number>; latest?: number }>();
  private readonly paused = new Map<string, { topic: string; partition: number }>();
  /** When each lane was last asked about by a message: lanes asked about lately are kept fresh by the timer. */
  private readonly askedAt = new Map<string, number>();
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
    this.timer = setInterval(() => void this.tick(consumer), this.refreshMs);
  }

  /** Every refreshMs: resume what drained, and read the lanes messages asked about lately ahead of the next one. */
  private async tick(consumer: Consumer): Promise<void> {
    await this.resumeDrained(consumer);
    const now = Date.now();
    for (const [lane, at] of this.askedAt) {
      if (now - at > KEEP_FRESH_MS) this.askedAt.delete(lane);
      else if (now - (this.lagCache.get(lane)?.at ?? 0) >= this.refreshMs) void this.refresh(lane);
    }
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

  /** Resuming waits for fresh readings: a stale one would hold a drained lane's partitions a period longer. */
  private async resumeDrained(consumer: Consumer): Promise<void> {
    if (this.paused.size === 0) return;
    const lanes = [...new Set([...this.paused.values()].flatMap(({ topic }) => higherLanesThan(topic)))];
    const lags = new Map(await Promise.all(lanes.map(async (lane) => [lane, await this.refresh(lane)] as const)));
    for (const [key, { topic, partition }] of this.paused) {
      if (higherLanesThan(topic).some((lane) => (lags.get(lane) ?? 0) > 0)) continue;
      this.paused.delete(key);
      consumer.resume([{ topic, partitions: [partition] }]);
    }
  }

  /**
   * Messages of `topic` not yet committed by this group nor started here. A reading older than
   * `refreshMs` is refreshed; while that refresh is on its way, a reading up to twice `refreshMs` old
   * answers at once. The timer keeps the lanes asked about in the last minute that fresh (tick), so a
   * message of a pipeline whose events come seconds apart does not wait for the broker's two admin round
   * trips (a plain cache made the first message after each expiry wait). An older reading is not
   * trusted: the message waits for the new one.
   */
  private lag(topic: string): Promise<number> | number {
    this.askedAt.set(topic, Date.now());
    const entry = this.lagCache.get(topic);
    const age = entry ? Date.now() - entry.at : Infinity;
    if (entry && age < this.refreshMs) return entry.latest ?? entry.reading;
    const reading = this.refresh(topic);
    return entry?.latest !== undefined && age < 2 * this.refreshMs ? entry.latest : reading;
  }

  /** A new reading of the lane; a failed read counts as no backlog (the lane does not hold the others). */
  private refresh(topic: string): Promise<number> {
    const reading = this.readLag(topic).catch(() => 0);
    const entry = { at: Date.now(), reading, latest: this.lagCache.get(topic)?.latest };
    this.lagCache.set(topic, entry);
    void reading.then((lag) => (entry.latest = lag));
    return reading;
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
