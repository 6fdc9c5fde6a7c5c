import { setTimeout as sleep } from 'node:timers/promises';
import { PartitionOffsets } from './partition-offsets';
import { Slots } from './slots';

export interface Delivery {
  topic: string;
  partition: number;
  offset: string;
  /** Messages with the same key never run at the same time on this instance (kept in order); null: no such constraint. */
  key: string | null;
}

export interface KeyedDispatcherOptions<D extends Delivery> {
  /** Messages handled at the same time by this instance, over all its partitions. */
  maxInFlight: number;
  /**
   * Handles one message to the end (done, or given up on and dead-lettered): it is then committed.
   * Rejects to leave the message uncommitted: when `signal` (shutdown) fired, the message is handed
   * back; any other rejection is an unexpected failure, tried again after a pause.
   */
  handle: (delivery: D, signal: AbortSignal) => Promise<void>;
  commit: (topic: string, partition: number, offset: string) => Promise<void>;
  /** Asked right before a message starts; true parks it (the priority gate rewinds the partition to it). */
  park?: (delivery: D) => Promise<boolean>;
  onError?: (message: string, error: unknown) => void;
  onInFlightChange?: (inFlight: number) => void;
  /** Pause before an unexpectedly failed handle runs again (doubles up to 30 s). */
  failurePauseMs?: number;
}

export interface DrainOutcome {
  /** Handlers that finished within the grace period. */
  finished: number;
  /** Handlers aborted at the end of the grace period: their messages stay uncommitted. */
  handedBack: number;
}

const partitionKey = (topic: string, partition: number) => `${topic}:${partition}`;

/**
 * Key-level concurrency within a partition, in the manner of Confluent's parallel consumer.
 *
 * kafkajs hands a partition's messages one by one and waits for each; messages are keyed by job_id,
 * so a slow job would hold every job behind it in its partition, whatever the partition concurrency.
 * Here the kafkajs callback only waits for a free slot (at most `maxInFlight` messages run), starts
 * the message in the background and returns, so kafkajs moves on to the next one. What stays true:
 * - ORDER PER KEY: a message waits for the earlier messages of its key (one job's events in order);
 * - NO LOSS: a partition is committed only up to its lowest unfinished message (PartitionOffsets);
 *   after a crash everything above is redelivered, and the inbox skips what was already applied;
 * - NO DOUBLE START: a redelivery (kafkajs refetches from the committed offset after a rebalance)
 *   of a message running or done here is skipped;
 * - OWNERSHIP: a partition taken away by a rebalance is never committed by this instance again
 *   (its new owner commits it; a late commit from here could skip the new owner's unfinished work);
 * - DRAIN: at shutdown no new message starts, running ones get a grace period, then their signal is
 *   aborted and they stay uncommitted, so another member of the group gets them.
 */
export class KeyedDispatcher<D extends Delivery> {
  private readonly slots: Slots;
  private readonly partitions = new Map<string, PartitionOffsets>();
  private readonly keyTails = new Map<string, Promise<void>>();
  /** Every started message until it is handled and its commit came back (what a drain waits for). */
  private readonly running = new Set<Promise<void>>();
  /** Started messages not yet handled, each holding a slot (a handled one waiting for its commit holds none). */
  private handling = 0;
  private readonly shutdown = new AbortController();
  private draining = false;

  constructor(private readonly options: KeyedDispatcherOptions<D>) {
    this.slots = new Slots(options.maxInFlight);
  }

  get inFlight(): number {
    return this.handling;
  }

  /** One past the last offset started in a partition this instance owns (running or done); undefined if none. */
  startedUpTo(topic: string, partition: number): bigint | undefined {
    return this.partitions.get(partitionKey(topic, partition))?.startedUpTo;
  }

  /**
   * The kafkajs per-message callback: returns once the message started (or was skipped, parked or
   * refused at shutdown), not when it is finished. `heartbeat` keeps the session while it waits for a slot.
   */
  async dispatch(delivery: D, heartbeat: () => Promise<void>): Promise<void> {
    if (this.draining) return;
    const key = partitionKey(delivery.topic, delivery.partition);
    const offsets = this.partitions.get(key) ?? new PartitionOffsets();
    this.partitions.set(key, offsets);
    if (offsets.stateOf(delivery.offset) !== 'new') return;

    const beat = setInterval(() => heartbeat().catch(() => undefined), 1_000);
    let granted: boolean;
    try {
      granted = await this.slots.acquire();
    } finally {
      clearInterval(beat);
    }
    if (!granted) return;
    const parked = !this.draining && (await this.parked(delivery));
    // Asked again after the park check: it may wait on the broker, and a drain that started meanwhile
    // has already taken its snapshot of running messages, so one started now would outlive the shutdown.
    if (parked || this.draining) {
      this.slots.release();
      return;
    }
    // Read again: a rebalance while this message waited may have taken the partition away (its new
    // owner handles the message) or given it back with fresh offsets.
    const current = this.partitions.get(key);
    if (!current || (current !== offsets && current.stateOf(delivery.offset) !== 'new')) {
      this.slots.release();
      return;
    }
    current.start(delivery.offset);
    this.countHandling(1);
    this.track(this.run(delivery, current));
  }

  /**
   * The partitions this instance owns since the last (re)join: offsets of the others are dropped,
   * so their running messages finish without committing anything.
   */
  assigned(assignment: Record<string, number[]>): void {
    const owned = new Set(
      Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((p) => partitionKey(topic, p))),
    );
    for (const [key, offsets] of this.partitions) {
      if (!owned.has(key)) {
        this.partitions.delete(key);
        continue;
      }
      // A commit refused during the rebalance is made now: the redelivered messages below it are
      // skipped here, so no later finish of theirs would make it.
      const [topic, partition] = [key.slice(0, key.lastIndexOf(':')), Number(key.slice(key.lastIndexOf(':') + 1))];
      offsets
        .commitProgress((offset) => this.options.commit(topic, partition, offset))
        .catch((error) => this.options.onError?.(`commit of ${key} after rejoining failed`, error));
    }
  }

  /** Stops starting messages, waits up to `graceMs` for the running ones, then aborts what is left (up to `abortWaitMs`). */
  async drain(graceMs: number, abortWaitMs: number): Promise<DrainOutcome> {
    this.draining = true;
    this.slots.close();
    const total = this.handling;
    const allSettled = () => Promise.allSettled([...this.running]).then(() => true);
    if (await Promise.race([allSettled(), sleep(graceMs, false, { ref: false })]))
      return { finished: total, handedBack: 0 };
    const handedBack = this.handling;
    this.shutdown.abort(new Error('shutting down: message handed back'));
    await Promise.race([allSettled(), sleep(abortWaitMs, undefined, { ref: false })]);
    return { finished: total - handedBack, handedBack };
  }

  private async parked(delivery: D): Promise<boolean> {
    if (!this.options.park) return false;
    try {
      return await this.options.park(delivery);
    } catch (error) {
      this.options.onError?.(
        `priority check for ${delivery.topic}[${delivery.partition}]@${delivery.offset} failed; handling it now`,
        error,
      );
      return false;
    }
  }

  private track(run: Promise<void>): void {
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  private countHandling(change: 1 | -1): void {
    this.handling += change;
    this.options.onInFlightChange?.(this.handling);
  }

  /**
   * The next message of the key and the next waiting message start as soon as this one is handled: the
   * offset commit that follows is a broker round trip (tens of ms on a busy machine) that order per key
   * does not need, since PartitionOffsets commits no further than the lowest unfinished message anyway.
   */
  private async run(delivery: D, offsets: PartitionOffsets): Promise<void> {
    const key = delivery.key;
    const previous = key === null ? undefined : this.keyTails.get(key);
    const handled = this.handleInKeyOrder(previous, delivery);
    const tail = handled.then(
      () => undefined,
      () => undefined,
    );
    if (key !== null) this.keyTails.set(key, tail);
    try {
      if (!(await handled)) return;
      offsets.finish(delivery.offset);
      // Committed only while this instance still owns the partition (the offsets were not replaced).
      if (this.partitions.get(partitionKey(delivery.topic, delivery.partition)) !== offsets) return;
      await offsets
        .commitProgress((offset) => this.options.commit(delivery.topic, delivery.partition, offset))
        .catch((error) => {
          // The next finished message of the partition commits past this one; a rebalance redelivers it to a member that skips it (inbox).
          this.options.onError?.(`commit of ${delivery.topic}[${delivery.partition}] failed`, error);
        });
    } finally {
      if (key !== null && this.keyTails.get(key) === tail) this.keyTails.delete(key);
    }
  }

  /** Waits for the key's earlier messages, then handles this one; its slot is free again once it is handled. */
  private async handleInKeyOrder(previous: Promise<void> | undefined, delivery: D): Promise<boolean> {
    try {
      await previous;
      return await this.handleUntilSettled(delivery);
    } finally {
      this.slots.release();
      this.countHandling(-1);
    }
  }

  /** True when handled; false when handed back at shutdown (left running, so never committed past). */
  private async handleUntilSettled(delivery: D): Promise<boolean> {
    const { failurePauseMs = 1_000 } = this.options;
    for (let pause = failurePauseMs; ; pause = Math.min(pause * 2, 30_000)) {
      if (this.shutdown.signal.aborted) return false;
      try {
        await this.options.handle(delivery, this.shutdown.signal);
        return true;
      } catch (error) {
        if (this.shutdown.signal.aborted) return false;
        this.options.onError?.(
          `${delivery.topic}[${delivery.partition}]@${delivery.offset} failed unexpectedly; trying again in ${pause} ms`,
          error,
        );
        try {
          await sleep(pause, undefined, { signal: this.shutdown.signal });
        } catch {
          return false;
        }
      }
    }
  }
}
