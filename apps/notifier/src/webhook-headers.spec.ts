import { webhookHeaders } from './webhook-headers';
import { verifyWebhookSignature } from './webhook-signature';

describe('webhookHeaders', () => {
  it('signs the body at the attempt time and keys idempotency on the event id', () => {
    const body = '{"type":"job.failed"}';
    const h = webhookHeaders('s3cret', 'evt-1', body, 1700000123);
    expect(h).toMatchObject({
      'Content-Type': 'application/json',
      'User-Agent': 'TranscodeFlow-Webhooks/1',
      'TF-Event-Id': 'evt-1',
      'Idempotency-Key': 'evt-1',
    });
    expect(h['TF-Signature']).toMatch(/^t=1700000123,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('s3cret', h['TF-Signature'], body, 300, 1700000123)).toBe(true);
  });
});
