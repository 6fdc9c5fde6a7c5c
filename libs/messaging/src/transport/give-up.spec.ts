import type { EntityManager } from 'typeorm';
import type { GivenUpMessage, MessageOutcomeEvents, OutgoingEvent } from '../message-outcomes';
import { applyGiveUp } from './give-up';

const message: GivenUpMessage = { topic: 'tf.video.chunks', key: 'job-1:3', attempts: 5, error: new Error('x') };
const failed = { type: 'JobFailed', event: { job_id: 'job-1' } } as unknown as OutgoingEvent;

/** The transaction and the outbox are the boundary faked here: the "transaction" records what it was given. */
function fakes(alreadyApplied = false) {
  const tx = { name: 'tx' } as unknown as EntityManager;
  const appended: unknown[] = [];
  const outbox = { append: jest.fn(async (_tx: EntityManager, type: string) => void appended.push(type)) };
  const exactlyOnce = jest.fn(async (apply: (tx: EntityManager) => Promise<void>) => {
    if (alreadyApplied) return false;
    await apply(tx);
    return true;
  });
  return { tx, appended, outbox, exactlyOnce };
}

describe('applyGiveUp (the give-up’s exactly-once effects)', () => {
  it('appends the group’s givenUp event when it has no settlement', async () => {
    const { appended, outbox, exactlyOnce } = fakes();
    await applyGiveUp(exactlyOnce, outbox, { givenUp: () => failed }, message);
    expect(appended).toEqual(['JobFailed']);
  });

  it('settles in the same transaction, before the event, and counts only once committed', async () => {
    const { tx, appended, outbox, exactlyOnce } = fakes();
    const committed = jest.fn();
    const settleGiveUp = jest.fn(async (settleTx: EntityManager) => {
      expect(settleTx).toBe(tx);
      expect(appended).toEqual([]);
      return { emit: true, committed };
    });
    await applyGiveUp(exactlyOnce, outbox, { givenUp: () => failed, settleGiveUp }, message);
    expect(settleGiveUp).toHaveBeenCalledWith(tx, message);
    expect(appended).toEqual(['JobFailed']);
    expect(committed).toHaveBeenCalledTimes(1);
  });

  it('appends nothing when the settlement declines (the job already failed through the same work)', async () => {
    const { appended, outbox, exactlyOnce } = fakes();
    const outcomes: MessageOutcomeEvents = { givenUp: () => failed, settleGiveUp: async () => ({ emit: false }) };
    await applyGiveUp(exactlyOnce, outbox, outcomes, message);
    expect(exactlyOnce).toHaveBeenCalledTimes(1);
    expect(appended).toEqual([]);
  });

  it('neither settles again nor counts for a give-up applied before (a redelivery after a crash)', async () => {
    const { appended, outbox, exactlyOnce } = fakes(true);
    const committed = jest.fn();
    await applyGiveUp(
      exactlyOnce,
      outbox,
      { givenUp: () => failed, settleGiveUp: async () => ({ emit: true, committed }) },
      message,
    );
    expect(appended).toEqual([]);
    expect(committed).not.toHaveBeenCalled();
  });

  it('opens no transaction for a group with nothing to emit or settle', async () => {
    const { outbox, exactlyOnce } = fakes();
    await applyGiveUp(exactlyOnce, outbox, undefined, message);
    await applyGiveUp(exactlyOnce, outbox, { givenUp: () => null }, message);
    expect(exactlyOnce).not.toHaveBeenCalled();
  });
});
