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

  describe('lane readings over time', () => {
    let now = 1_000_000;
    let high = 3;
    let reads = 0;
    let failing = false;
    /** The high lane holds `high` messages, 3 of them committed by the group. */
    const changing = {
      fetchTopicOffsets: async () => {
        reads += 1;
        if (failing) throw new Error('coordinator moving');
        return [{ partition: 0, offset: String(high), high: String(high), low: '0' }];
      },
      fetchOffsets: async () => [{ topic: 'tf.x.high', partitions: [{ partition: 0, offset: '3' }] }],
    } as unknown as Admin;
    const c = () => consumer() as unknown as Consumer;
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    beforeEach(() => {
      [now, high, reads, failing] = [1_000_000, 3, 0, false];
      jest.spyOn(Date, 'now').mockImplementation(() => now);
    });
    afterEach(() => jest.restoreAllMocks());

    it('answers a reading up to twice refreshMs old at once and refreshes it behind the message', async () => {
      const gate = new PriorityGate(changing, 'g', 500, () => undefined);
      await expect(gate.parkIfOutranked(c(), 'tf.x', 4, '10')).resolves.toBe(false); // first: waits, lag 0
      high = 5; // two new high-lane messages
      now += 600;
      await expect(gate.parkIfOutranked(c(), 'tf.x', 4, '11')).resolves.toBe(false); // the last reading
      expect(reads).toBe(2); // ... and the refresh started
      await settle();
      await expect(gate.parkIfOutranked(c(), 'tf.x', 4, '12')).resolves.toBe(true); // the refreshed reading
    });

    it('waits for a new reading when the last one is older than twice refreshMs', async () => {
      const gate = new PriorityGate(changing, 'g', 500, () => undefined);
      await expect(gate.parkIfOutranked(c(), 'tf.x', 4, '10')).resolves.toBe(false);
      high = 5;
      now += 1_001;
      await expect(gate.parkIfOutranked(c(), 'tf.x', 4, '11')).resolves.toBe(true);
    });

    it('counts a failed reading as no backlog, whatever the last one said', async () => {
      high = 5;
      const gate = new PriorityGate(changing, 'g', 500, () => undefined);
      await expect(gate.parkIfOutranked(c(), 'tf.x', 4, '10')).resolves.toBe(true);
      failing = true;
      now += 1_001;
      await expect(gate.parkIfOutranked(c(), 'tf.x', 4, '11')).resolves.toBe(false);
    });

    it('resumes a parked partition on the first tick after the higher lane drained (a fresh reading, not the cached one)', async () => {
      high = 5;
      const gate = new PriorityGate(changing, 'g', 500, () => undefined);
      const parkedOn = consumer();
      await expect(gate.parkIfOutranked(parkedOn as unknown as Consumer, 'tf.x', 4, '10')).resolves.toBe(true);
      high = 3; // drained: the cached reading (just taken) still says 2
      await (gate as unknown as { resumeDrained(c: Consumer): Promise<void> }).resumeDrained(
        parkedOn as unknown as Consumer,
      );
      expect(parkedOn.resume).toHaveBeenCalledWith([{ topic: 'tf.x', partitions: [4] }]);
    });

    it('keeps the lanes messages asked about lately fresh between messages, and forgets them after a minute', async () => {
      const gate = new PriorityGate(changing, 'g', 500, () => undefined);
      const tick = (gate as unknown as { tick(c: Consumer): Promise<void> }).tick.bind(gate);
      await gate.parkIfOutranked(c(), 'tf.x', 4, '10');
      expect(reads).toBe(1);
      now += 500;
      await tick(c());
      expect(reads).toBe(2); // read ahead of the next message
      await tick(c());
      expect(reads).toBe(2); // not again within refreshMs
      now += 61_000;
      await tick(c()); // asked about over a minute ago: forgotten
      now += 500;
      await tick(c());
      expect(reads).toBe(2);
    });
  });
});
