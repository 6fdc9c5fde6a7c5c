import type { KafkaMessage } from 'kafkajs';
import { deadLetterHeaders } from './dead-letter';

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
