import { higherLanesThan } from '@tf/contracts';
import { Admin, Consumer } from 'kafkajs';

/** How long after a message asked about a lane the timer keeps its reading fresh. */
const KEEP_FRESH_MS = 60_000;

/** A lane's backlog and when the request that read it was sent (a reading is as old as its request). */
interface LaneReading {
  lag: number;
  at: number;
}

/**
 * Lets higher priority lanes drain first. Before a message of a lower lane is handled, the gate asks
 * whether a higher lane of the same topic has a backlog for this consumer group (committed offset
 * behind the end of the log). If so, the message's partition is paused and rewound to it, and
 * resumed once the higher lanes are empty: the message is handled later, never skipped.
 *
 * A message trusts a reading up to `refreshMs` old, never older. So that a pipeline whose events come
 * seconds apart does not pay the broker's two admin round trips on nearly every event, a timer re-reads
 * every `refreshMs / 2` the lanes messages asked about in the last minute: their readings stay younger
 * than the bound and a message is answered at once.
 */
export class PriorityGate {
  private readonly readings = new Map<string, LaneReading>();
  /** The latest read sent per lane, while it is on its way. */
  private readonly inFlight = new Map<string, { at: number; lag: Promise<number> }>();
  private readonly askedAt = new Map<string, number>();
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
    this.timer = setInterval(() => void this.tick(consumer), this.refreshMs / 2);
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

  private async tick(consumer: Consumer): Promise<void> {
    const now = Date.now();
    for (const [lane, askedAt] of this.askedAt) {
      if (now - askedAt > KEEP_FRESH_MS) this.askedAt.delete(lane);
      else void this.read(lane, now);
    }
    await this.resumeDrained(consumer);
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

  /** Messages of `topic` not yet committed by this group nor started here: a reading under `refreshMs` old. */
  private lag(topic: string): number | Promise<number> {
    const now = Date.now();
    this.askedAt.set(topic, now);
    const latest = this.readings.get(topic);
    return latest && now - latest.at < this.refreshMs ? latest.lag : this.read(topic, now);
  }

  /**
   * A reading sent after `now - refreshMs`: the read on its way when it was sent since, else a new one (a read
   * that hangs is not waited on past the bound). A failed read counts as no backlog (the lane does not hold the
   * others); a reading is kept only if no later-sent one came back first.
   */
  private read(topic: string, now: number): Promise<number> {
    const pending = this.inFlight.get(topic);
    if (pending && now - pending.at < this.refreshMs) return pending.lag;
    const at = Date.now();
    const lag = this.readLag(topic)
      .catch(() => 0)
      .then((value) => {
        if ((this.readings.get(topic)?.at ?? -Infinity) <= at) this.readings.set(topic, { lag: value, at });
        if (this.inFlight.get(topic)?.lag === lag) this.inFlight.delete(topic);
        return value;
      });
    this.inFlight.set(topic, { at, lag });
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
