import type { EntityManager } from 'typeorm';
import type { GiveUpSettlement, GivenUpMessage, MessageOutcomeEvents } from '../message-outcomes';
import type { OutboxWriter } from '../outbox/outbox-writer';

/** Runs `apply` once per message (the inbox claims its event id); false when it was applied before. */
type ExactlyOnce = (apply: (tx: EntityManager) => Promise<void>) => Promise<boolean>;

const EMIT: GiveUpSettlement = { emit: true };

/**
 * The effects of giving up on a message, in one exactly-once transaction: the group's settlement (its own
 * records, e.g. a failed chunk run) and then, unless the settlement declines it, the group's `givenUp` event
 * through the outbox. The settlement's `committed` runs once the transaction committed.
 */
export async function applyGiveUp(
  exactlyOnce: ExactlyOnce,
  outbox: Pick<OutboxWriter, 'append'>,
  outcomes: MessageOutcomeEvents | undefined,
  message: GivenUpMessage,
): Promise<void> {
  const outgoing = outcomes?.givenUp?.(message) ?? null;
  const settle = outcomes?.settleGiveUp;
  if (!outgoing && !settle) return;
  let settlement = EMIT;
  const applied = await exactlyOnce(async (tx) => {
    settlement = settle ? await settle(tx, message) : EMIT;
    if (settlement.emit && outgoing) {
      await outbox.append(tx, outgoing.type, outgoing.event as never, outgoing.topic);
    }
  });
  if (applied) settlement.committed?.();
}
