import { DataSource, EntityManager } from 'typeorm';
import { InboxEntry } from './inbox-entry.entity';

/**
 * Idempotent consumption: an event's effects and its inbox row commit in one transaction, so a
 * redelivered event (crash before the offset commit, relay re-publish) finds its row and is skipped.
 */
export class Inbox {
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
  async processOnce(eventId: string, apply: (tx: EntityManager) => Promise<void>): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const claimed: unknown[] = await tx.query(
        `INSERT INTO inbox (consumer_group, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
        [this.consumerGroup, eventId],
      );
      if (claimed.length === 0) return false;
      await apply(tx);
      return true;
    });
  }
}
