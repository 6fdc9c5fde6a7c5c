import type { Admin, Consumer } from 'kafkajs';
import { PriorityGate } from './priority-gate';

/** The high lane of tf.x: 3 messages in partition 0 (offsets 0..2), none committed by the group. */
const admin = {
  fetchTopicOffsets: async () => [{ partition: 0, offset: '3', high: '3', low: '0' }],
  fetchOffsets: async () => [{ topic: 'tf.x.high', partitions: [{ partition: 0, offset: '-1' }] }],
} as unknown as Admin;

const consumer = () => ({ pause: jest.fn(), seek: jest.fn(), resume: jest.fn() });

describe('PriorityGate', () => {
  it('parks a lower-lane message while a higher lane has messages waiting', async () => {
    const gate = new PriorityGate(admin, 'g', 500, () => undefined);
    const c = consumer();
    await expect(gate.parkIfOutranked(c as unknown as Consumer, 'tf.x', 4, '10')).resolves.toBe(true);
    expect(c.pause).toHaveBeenCalledWith([{ topic: 'tf.x', partitions: [4] }]);
    expect(c.seek).toHaveBeenCalledWith({ topic: 'tf.x', partition: 4, offset: '10' });
  });

  it('does not count higher-lane messages already running here as a backlog (a slow high job does not hold the lower lanes)', async () => {
    const gate = new PriorityGate(admin, 'g', 500, (topic, partition) =>
      topic === 'tf.x.high' && partition === 0 ? 3n : undefined,
    );
    const c = consumer();
    await expect(gate.parkIfOutranked(c as unknown as Consumer, 'tf.x', 4, '10')).resolves.toBe(false);
    expect(c.pause).not.toHaveBeenCalled();
  });

  it('answers a stale lane reading at once and refreshes it in the background (only the first lookup waits for the broker)', async () => {
    let high = 3;
    let reads = 0;
    const changing = {
      fetchTopicOffsets: async () => {
        reads += 1;
        return [{ partition: 0, offset: String(high), high: String(high), low: '0' }];
      },
      fetchOffsets: async () => [{ topic: 'tf.x.high', partitions: [{ partition: 0, offset: '3' }] }],
    } as unknown as Admin;
    // refreshMs 0: every lookup finds the reading stale.
    const gate = new PriorityGate(changing, 'g', 0, () => undefined);
    const c = () => consumer() as unknown as Consumer;
    await expect(gate.parkIfOutranked(c(), 'tf.x', 4, '10')).resolves.toBe(false); // first: waits, lag 0
    high = 5; // two new high-lane messages
    await expect(gate.parkIfOutranked(c(), 'tf.x', 4, '11')).resolves.toBe(false); // the last reading, refresh started
    expect(reads).toBe(2);
    await new Promise((resolve) => setImmediate(resolve));
    await expect(gate.parkIfOutranked(c(), 'tf.x', 4, '12')).resolves.toBe(true); // the refreshed reading
  });
});
