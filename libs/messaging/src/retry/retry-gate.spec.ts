import type { Consumer } from 'kafkajs';
import { RetryGate } from './retry-gate';

/** Records the consumer calls the gate makes (the kafkajs consumer is the boundary faked here). */
function fakeConsumer() {
  const calls: string[] = [];
  const consumer = {
    pause: (t: Array<{ topic: string; partitions: number[] }>) =>
      calls.push(`pause ${t[0].topic}[${t[0].partitions.join()}]`),
    resume: (t: Array<{ topic: string; partitions: number[] }>) =>
      calls.push(`resume ${t[0].topic}[${t[0].partitions.join()}]`),
    seek: (s: { topic: string; partition: number; offset: string }) =>
      calls.push(`seek ${s.topic}[${s.partition}]@${s.offset}`),
  } as unknown as Consumer;
  return { consumer, calls };
}

describe('RetryGate', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('lets a due head through without touching the partition', () => {
    const { consumer, calls } = fakeConsumer();
    const gate = new RetryGate(() => 10_000);
    expect(gate.holdUntilDue(consumer, 'tf.retry.g.1', 3, '42', 10_000)).toBe(false);
    expect(calls).toEqual([]);
  });

  it('pauses and rewinds only the head’s partition, and resumes it when the head falls due', () => {
    const { consumer, calls } = fakeConsumer();
    const gate = new RetryGate(() => 10_000);
    expect(gate.holdUntilDue(consumer, 'tf.retry.g.1', 3, '42', 15_000)).toBe(true);
    expect(calls).toEqual(['pause tf.retry.g.1[3]', 'seek tf.retry.g.1[3]@42']);
    expect(gate.held).toBe(1);
    jest.advanceTimersByTime(4_999);
    expect(calls).not.toContain('resume tf.retry.g.1[3]');
    jest.advanceTimersByTime(1);
    expect(calls).toEqual(['pause tf.retry.g.1[3]', 'seek tf.retry.g.1[3]@42', 'resume tf.retry.g.1[3]']);
    expect(gate.held).toBe(0);
  });

  it('keeps one timer per partition (a rebalance may show the same head again) and stops them all on close', () => {
    const { consumer, calls } = fakeConsumer();
    const gate = new RetryGate(() => 0);
    gate.holdUntilDue(consumer, 'tf.retry.g.1', 0, '1', 1000);
    gate.holdUntilDue(consumer, 'tf.retry.g.1', 0, '1', 1000);
    gate.holdUntilDue(consumer, 'tf.retry.g.2', 0, '7', 2000);
    expect(gate.held).toBe(2);
    gate.stop();
    jest.advanceTimersByTime(10_000);
    expect(calls.filter((c) => c.startsWith('resume'))).toEqual([]);
  });
});
