import { DataSource, EntityManager } from 'typeorm';
import { InboxEntry } from './inbox-entry.entity';

/** Called once the transaction that applied an event committed (metrics, logs: nothing that must be exact). */
export type AfterCommit = () => void;

/** What a handler's context uses to apply an event exactly once (its own transaction, or a batch's). */
export interface EventInbox {
  hasProcessed(eventId: string): Promise<boolean>;
  processOnce(
    eventId: string,
    apply: (tx: EntityManager) => Promise<void>,
    afterCommit?: AfterCommit,
  ): Promise<boolean>;
}

const CLAIM = `INSERT INTO inbox (consumer_group, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`;

/**
 * Idempotent consumption: an event's effects and its inbox row commit in one transaction, so a
 * redelivered event (crash before the offset commit, relay re-publish) finds its row and is skipped.
 */
export class Inbox implements EventInbox {
  constructor(
    private readonly dataSource: DataSource,
    private readonly consumerGroup: string,
  ) {}

  /** Cheap pre-check before expensive work; the transaction below is what makes it exact. */
  async hasProcessed(eventId: string): Promise<boolean> {
    return this.dataSource.getRepository(InboxEntry).exists({ where: { consumerGroup: this.consumerGroup, eventId } });
  }

  /**
   * Runs `apply` in a transaction that first claims the event id. Returns false, without running
   * `apply`, when the event was already processed. Concurrent duplicates serialize on the primary key.
   */
  async processOnce(
    eventId: string,
    apply: (tx: EntityManager) => Promise<void>,
    afterCommit?: AfterCommit,
  ): Promise<boolean> {
    const applied = await this.dataSource.transaction((tx) => this.claimAndApply(tx, eventId, apply));
    if (applied) afterCommit?.();
    return applied;
  }

  /**
   * The inbox of one transaction shared by several events (a batch of one key's messages): each claims its
   * id and applies in `tx`, nothing of it counts until the caller commits, and `afterCommit` is collected
   * in `committed` for the caller to run then. A rollback drops the claims with the effects.
   */
  within(tx: EntityManager, committed: AfterCommit[]): EventInbox {
    return {
      hasProcessed: (eventId) =>
        tx.getRepository(InboxEntry).exists({ where: { consumerGroup: this.consumerGroup, eventId } }),
      processOnce: async (eventId, apply, afterCommit) => {
        const applied = await this.claimAndApply(tx, eventId, apply);
        if (applied && afterCommit) committed.push(afterCommit);
        return applied;
      },
    };
  }

  private async claimAndApply(
    tx: EntityManager,
    eventId: string,
    apply: (tx: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    const claimed: unknown[] = await tx.query(CLAIM, [this.consumerGroup, eventId]);
    if (claimed.length === 0) return false;
    await apply(tx);
    return true;
  }
}
