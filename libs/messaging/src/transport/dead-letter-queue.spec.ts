import type { KafkaMessage } from 'kafkajs';
import { readRetryHeaders } from '../retry/retry-schedule';
import { deadLetterHeaders } from './dead-letter';
import { DeadLetter, readDeadLetterRecord, redeliveryOf } from './dead-letter-queue';

const message = {
  key: Buffer.from('job-1'),
  value: Buffer.from('avro bytes'),
  offset: '41',
  headers: { traceparent: '00-abc-def-01' },
  timestamp: '0',
  attributes: 0,
} as KafkaMessage;

const parked = (): DeadLetter => {
  const headers = deadLetterHeaders(message, {
    topic: 'tf.video.packaged.high',
    partition: 3,
    consumerGroup: 'tf-gateway-jobs',
    attempts: 5,
    error: new Error('relation "jobs" does not exist'),
  });
  return {
    topic: 'tf.dlq.tf-gateway-jobs',
    partition: 2,
    offset: '7',
    timestamp: 1_000,
    key: 'job-1',
    value: message.value,
    headers,
    record: readDeadLetterRecord('tf-gateway-jobs', headers),
  };
};

describe('readDeadLetterRecord', () => {
  it('reads back every header sendToDeadLetter writes', () => {
    expect(parked().record).toEqual({
      consumerGroup: 'tf-gateway-jobs',
      originalTopic: 'tf.video.packaged.high',
      originalPartition: 3,
      originalOffset: '41',
      attempts: 5,
      errorCode: expect.stringMatching(/^[A-Z_]+$/),
      error: 'relation "jobs" does not exist',
      failedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('leaves what an older message lacks null, and the group the one of its topic', () => {
    expect(readDeadLetterRecord('tf-hls', { 'tf-dlq-attempts': Buffer.from('x') })).toEqual({
      consumerGroup: 'tf-hls',
      originalTopic: null,
      originalPartition: null,
      originalOffset: null,
      attempts: null,
      errorCode: null,
      error: null,
      failedAt: null,
    });
  });
});

describe('redeliveryOf', () => {
  it("hands the same bytes and key back to the group alone: its first retry topic, due now, to the original topic's handler", () => {
    const redelivery = redeliveryOf(parked(), 5_000)!;
    expect(redelivery.topic).toBe('tf.retry.tf-gateway-jobs.1');
    expect(redelivery.message.key).toBe('job-1');
    expect(redelivery.message.value).toEqual(Buffer.from('avro bytes'));
    expect(readRetryHeaders(redelivery.message.headers)).toEqual({
      originalTopic: 'tf.video.packaged.high',
      level: 1,
      dueAt: 5_000,
    });
    // The trace goes on; the parking headers do not (a second failure writes fresh ones).
    expect(redelivery.message.headers.traceparent).toBe('00-abc-def-01');
    expect(Object.keys(redelivery.message.headers).filter((h) => h.startsWith('tf-dlq-'))).toEqual([]);
  });

  it('refuses a dead letter that does not say where it came from', () => {
    const d = parked();
    expect(redeliveryOf({ ...d, record: { ...d.record, originalTopic: null } }, 5_000)).toBeNull();
  });
});
