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
});
