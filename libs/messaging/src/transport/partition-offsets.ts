/** What a delivered offset is to this instance: new work, a message already running, or one already handled. */
export type DeliveryState = 'new' | 'running' | 'done';

/**
 * The offsets of ONE partition when its messages are handled out of order (different keys in parallel).
 * Kafka keeps one committed offset per partition, so the commit may only move up to the lowest
 * message not finished yet: everything below it is handled, and a crash redelivers from there
 * (the inbox skips what was already applied). Offsets are bigint: Kafka offsets are 64-bit.
 *
 * A message handed back at shutdown stays "running" for good, so no commit ever passes it.
 */
export class PartitionOffsets {
  private readonly running = new Set<bigint>();
  /** One past the highest offset accepted; undefined until the first one. */
  private next?: bigint;
  private committed?: bigint;
  private commits: Promise<void> = Promise.resolve();

  /**
   * A redelivery (kafkajs fetches from the committed offset again after every rebalance) of a
   * message that is running or done here must not start it twice.
   */
  stateOf(offset: string): DeliveryState {
    const o = BigInt(offset);
    if (this.running.has(o)) return 'running';
    if (this.next !== undefined && o < this.next) return 'done';
    return 'new';
  }

  start(offset: string): void {
    const o = BigInt(offset);
    this.running.add(o);
    if (this.next === undefined || o >= this.next) this.next = o + 1n;
  }

  finish(offset: string): void {
    this.running.delete(BigInt(offset));
  }

  /** The offset to commit: the lowest running message, or one past the last accepted when none runs. */
  committable(): bigint | undefined {
    let lowest: bigint | undefined;
    for (const o of this.running) if (lowest === undefined || o < lowest) lowest = o;
    return lowest ?? this.next;
  }

  /**
   * Commits the committable offset if it moved forward. Commits of one partition run one after the
   * other, so a slower earlier commit can never land after a later one and move the offset back.
   */
  commitProgress(commit: (offset: string) => Promise<void>): Promise<void> {
    const run = this.commits.then(async () => {
      const at = this.committable();
      if (at === undefined || (this.committed !== undefined && at <= this.committed)) return;
      await commit(at.toString());
      this.committed = at;
    });
    this.commits = run.catch(() => undefined);
    return run;
  }

  /** One past the highest offset started here (running or done); undefined before the first. */
  get startedUpTo(): bigint | undefined {
    return this.next;
  }

  get inFlight(): number {
    return this.running.size;
  }
}
