import type { Admin, Consumer } from 'kafkajs';
import { PriorityGate } from './priority-gate';

/**
 * The high lane of tf.x: `backlog` messages in partition 0, none committed by the group, as they are when a
 * read is sent; the answer comes `delayMs` later (never, with `hang`). Counts the reads.
 */
const laneAdmin = (backlog = 3) => {
  const state = { backlog, reads: 0, hang: false, delayMs: 0 };
  const admin = {
    fetchTopicOffsets: async () => {
      state.reads += 1;
      const high = String(state.backlog);
      if (state.hang) await new Promise(() => undefined);
      if (state.delayMs) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
      return [{ partition: 0, offset: high, high, low: '0' }];
    },
    fetchOffsets: async () => [{ topic: 'tf.x.high', partitions: [{ partition: 0, offset: '-1' }] }],
  } as unknown as Admin;
  return { admin, state };
};

const consumer = () => ({ pause: jest.fn(), seek: jest.fn(), resume: jest.fn() });
const park = (gate: PriorityGate, c = consumer()) => gate.parkIfOutranked(c as unknown as Consumer, 'tf.x', 4, '10');

/** A gate (refreshMs 500) with its timer running on fake timers from t=0, over a lane of `backlog` messages. */
function startedGate(backlog?: number) {
  jest.useFakeTimers({ now: 0 });
  const { admin, state } = laneAdmin(backlog);
  const gate = new PriorityGate(admin, 'g', 500);
  const c = consumer();
  gate.start(c as unknown as Consumer);
  return { gate, state, c };
}

describe('PriorityGate', () => {
  afterEach(() => jest.useRealTimers());

  it('parks a lower-lane message while a higher lane has messages waiting', async () => {
    const gate = new PriorityGate(laneAdmin().admin, 'g', 500, () => undefined);
    const c = consumer();
    await expect(park(gate, c)).resolves.toBe(true);
    expect(c.pause).toHaveBeenCalledWith([{ topic: 'tf.x', partitions: [4] }]);
    expect(c.seek).toHaveBeenCalledWith({ topic: 'tf.x', partition: 4, offset: '10' });
  });

  it('does not count higher-lane messages already running here as a backlog (a slow high job does not hold the lower lanes)', async () => {
    const gate = new PriorityGate(laneAdmin().admin, 'g', 500, (topic, partition) =>
      topic === 'tf.x.high' && partition === 0 ? 3n : undefined,
    );
    const c = consumer();
    await expect(park(gate, c)).resolves.toBe(false);
    expect(c.pause).not.toHaveBeenCalled();
  });

  it('counts a failed read as no backlog (a lane the gate cannot read does not hold the others)', async () => {
    const failing = {
      fetchTopicOffsets: async () => Promise.reject(new Error('broker unreachable')),
      fetchOffsets: async () => Promise.reject(new Error('broker unreachable')),
    } as unknown as Admin;
    const c = consumer();
    await expect(park(new PriorityGate(failing, 'g', 500), c)).resolves.toBe(false);
    expect(c.pause).not.toHaveBeenCalled();
  });

  it('answers from a reading younger than refreshMs and reads again once it is older', async () => {
    jest.useFakeTimers({ now: 0 });
    const { admin, state } = laneAdmin();
    const gate = new PriorityGate(admin, 'g', 500);
    await park(gate);
    state.backlog = 0;
    jest.setSystemTime(499);
    await expect(park(gate)).resolves.toBe(true);
    expect(state.reads).toBe(1);
    jest.setSystemTime(500);
    await expect(park(gate)).resolves.toBe(false);
    expect(state.reads).toBe(2);
  });

  it('keeps the lanes messages asked about fresh in the background, so a message does not wait for the broker', async () => {
    const { gate, state } = startedGate();
    await park(gate);
    state.backlog = 0;
    await jest.advanceTimersByTimeAsync(250);
    expect(state.reads).toBe(2);
    state.hang = true;
    await jest.advanceTimersByTimeAsync(240);
    // The timer's read hangs from here on: the message is answered by the reading of t=250, 240 ms old.
    await expect(park(gate)).resolves.toBe(false);
    gate.stop();
  });

  it('never answers from a reading refreshMs old or older, even when the background read hangs', async () => {
    const { gate, state } = startedGate();
    await park(gate);
    state.hang = true;
    await jest.advanceTimersByTimeAsync(500);
    let answered = false;
    void park(gate).then(() => (answered = true));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(answered).toBe(false);
    gate.stop();
  });

  it('never answers from a slow read sent refreshMs or more before the message asked: it waits for a later one', async () => {
    const { gate, state } = startedGate(0);
    await park(gate);
    state.delayMs = 3_000;
    await jest.advanceTimersByTimeAsync(250); // the timer's read, sent at 250: it sees no backlog, and takes 3 s
    state.backlog = 3;
    await jest.advanceTimersByTimeAsync(754);
    let parked: boolean | undefined;
    void park(gate).then((p) => (parked = p));
    await jest.advanceTimersByTimeAsync(5_000);
    // Answered by a read sent after 504 (the timer's of 750), which saw the backlog; the read of 250 would not have.
    expect(parked).toBe(true);
    gate.stop();
  });

  it('stops reading a lane nobody asked about for a minute, and sends one read per lane at a time', async () => {
    // No backlog: nothing is parked, so only messages ask about the lane (a parked partition keeps asking).
    const { gate, state } = startedGate(0);
    await Promise.all([park(gate), park(gate), park(gate)]);
    expect(state.reads).toBe(1);
    await jest.advanceTimersByTimeAsync(60_000);
    const readsAfterAMinute = state.reads;
    expect(readsAfterAMinute).toBeGreaterThan(200);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(state.reads).toBe(readsAfterAMinute);
    gate.stop();
  });

  it('resumes a parked partition once the higher lanes drained', async () => {
    const { gate, state, c } = startedGate();
    await park(gate, c);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(c.resume).not.toHaveBeenCalled();
    state.backlog = 0;
    await jest.advanceTimersByTimeAsync(750);
    expect(c.resume).toHaveBeenCalledWith([{ topic: 'tf.x', partitions: [4] }]);
    gate.stop();
  });
});
