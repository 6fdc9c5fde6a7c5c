import { newEnvelope, type JobProgress } from '@tf/contracts';
import { metricsRegistry } from '@tf/observability';
import type { Kafka } from 'kafkajs';
import { jobSpec } from '../../../testing/src/pipeline-events';
import type { AvroCodec } from '../avro-codec';
import { DirectPublisher } from './direct-publisher';

const progress = (priority: 'high' | 'normal' = 'normal'): JobProgress =>
  ({
    ...newEnvelope('job-1'),
    stage: 'transcode',
    percent: 40,
    message: null,
    next_attempt_at: null,
    spec: jobSpec({ priority }),
  }) as unknown as JobProgress;

const counted = async (outcome: string) =>
  ((await metricsRegistry.getSingleMetric('tf_direct_events_published_total')?.get())?.values ?? []).find(
    (v) => v.labels.outcome === outcome && v.labels.type === 'JobProgress',
  )?.value ?? 0;

/** A Kafka whose producer records what is sent; `send` and `connect` behave as each test says (a boundary double). */
function kafkaWith(producer: { connect?: jest.Mock; send?: jest.Mock }) {
  const double = {
    connect: producer.connect ?? jest.fn().mockResolvedValue(undefined),
    send: producer.send ?? jest.fn().mockResolvedValue([]),
    disconnect: jest.fn().mockResolvedValue(undefined),
  };
  return { kafka: { producer: () => double } as unknown as Kafka, producer: double };
}
const codec = { encode: async (type: string) => Buffer.from(`avro:${type}`) } as unknown as AvroCodec;

describe('DirectPublisher', () => {
  it('starts the counts of the types it publishes at 0, so that the first failure shows in increase()', async () => {
    new DirectPublisher(kafkaWith({}).kafka, codec, ['JobFailed']);
    const values = (await metricsRegistry.getSingleMetric('tf_direct_events_published_total')?.get())?.values ?? [];
    expect(values.filter((v) => v.labels.type === 'JobFailed').map((v) => [v.labels.outcome, v.value])).toEqual([
      ['sent', 0],
      ['failed', 0],
    ]);
  });

  it("sends to the event's lane topic, keyed by job, with the relay's headers (type, id), all replicas acknowledging", async () => {
    const { kafka, producer } = kafkaWith({});
    const event = progress('high');
    const before = await counted('sent');
    await new DirectPublisher(kafka, codec, ['JobProgress']).publish('JobProgress', event);
    expect(producer.send).toHaveBeenCalledWith({
      topic: 'tf.job.progress.high',
      acks: -1,
      messages: [
        {
          key: 'job-1',
          value: Buffer.from('avro:JobProgress'),
          headers: expect.objectContaining({ 'tf-event-type': 'JobProgress', 'tf-event-id': event.event_id }),
        },
      ],
    });
    expect(await counted('sent')).toBe(before + 1);
  });

  it('gives a send up after the timeout (the caller logs it and goes on) and counts it failed', async () => {
    const { kafka } = kafkaWith({ send: jest.fn(() => new Promise(() => undefined)) });
    const before = await counted('failed');
    await expect(
      new DirectPublisher(kafka, codec, ['JobProgress'], 20).publish('JobProgress', progress()),
    ).rejects.toThrow('not sent within 20 ms');
    expect(await counted('failed')).toBe(before + 1);
  });

  it('connects once, and again after a connect failed (Kafka was away)', async () => {
    const connect = jest.fn().mockRejectedValueOnce(new Error('ECONNREFUSED')).mockResolvedValue(undefined);
    const { kafka, producer } = kafkaWith({ connect });
    const publisher = new DirectPublisher(kafka, codec, ['JobProgress']);
    await expect(publisher.publish('JobProgress', progress())).rejects.toThrow('ECONNREFUSED');
    await publisher.publish('JobProgress', progress());
    await publisher.publish('JobProgress', progress());
    expect(connect).toHaveBeenCalledTimes(2);
    expect(producer.send).toHaveBeenCalledTimes(2);
  });
});
