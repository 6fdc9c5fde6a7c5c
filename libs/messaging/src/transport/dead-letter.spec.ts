import type { KafkaMessage, Producer } from 'kafkajs';
import { deadLetterHeaders, sendToDeadLetter } from './dead-letter';
import { deadLettered } from './dead-letter-metrics';

const PRESIGNED = 'http://127.0.0.1:9000/raw-videos/t1/a.mp4?X-Amz-Credential=tf%2F2026&X-Amz-Signature=5f1e0c9d8b7a';

describe('deadLetterHeaders', () => {
  it('redacts the error and names its product code', () => {
    const message = {
      key: Buffer.from('j1'),
      value: Buffer.from('x'),
      offset: '7',
      headers: { traceparent: 'tp' },
      timestamp: '0',
      attributes: 0,
    } as KafkaMessage;
    const error = new Error(
      `ffprobe exited with code 1: [http @ 0x55d1c2a0] ${PRESIGNED}: Server returned 404 Not Found`,
    );
    const headers = deadLetterHeaders(message, {
      topic: 'tf.video.uploaded',
      partition: 0,
      consumerGroup: 'tf-validator',
      attempts: 5,
      error,
    });
    expect(headers['tf-dlq-error']).toBe(
      'ffprobe exited with code 1: [http @ <addr>] <url>: Server returned 404 Not Found',
    );
    expect(headers['tf-dlq-error-code']).toBe('SOURCE_MISSING');
    expect(headers.traceparent).toBe('tp');
  });
});

describe('sendToDeadLetter', () => {
  const message = { key: Buffer.from('j1'), value: Buffer.from('x'), offset: '3', headers: {} } as KafkaMessage;
  const info = {
    topic: 'tf.video.validated.high',
    partition: 2,
    consumerGroup: 'tf-hls',
    attempts: 5,
    error: new Error('x'),
  };
  const count = async () =>
    (await deadLettered.get()).values.find(
      (v) => v.labels.group === 'tf-hls' && v.labels.topic === 'tf.video.validated',
    )?.value ?? 0;

  it('writes the message to the group DLQ and counts it under its group and base topic', async () => {
    const send = jest.fn(async () => []);
    const before = await count();
    await sendToDeadLetter({ send } as unknown as Producer, message, info);
    expect(send).toHaveBeenCalledWith(expect.objectContaining({ topic: 'tf.dlq.tf-hls' }));
    expect((await count()) - before).toBe(1);
  });

  it('counts nothing when Kafka did not take it', async () => {
    const before = await count();
    const send = jest.fn(async () => Promise.reject(new Error('broker down')));
    await expect(sendToDeadLetter({ send } as unknown as Producer, message, info)).rejects.toThrow('broker down');
    expect(await count()).toBe(before);
  });
});
