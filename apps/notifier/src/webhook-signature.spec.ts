import { signWebhook, verifyWebhookSignature } from './webhook-signature';

describe('webhook signature', () => {
  const secret = 'whsec_test_secret';
  const body = '{"type":"video.completed"}';
  // Independent vector: printf '%s' '1700000000.{"type":"video.completed"}' | openssl dgst -sha256 -hmac whsec_test_secret
  const vector = 't=1700000000,v1=2bf7e476069605521beedda301c8f67c79eac8eb3cfb470d41fd0e8c68f92ffd';

  it('matches a known HMAC-SHA256 vector over "<t>.<body>"', () => {
    expect(signWebhook(secret, 1700000000, body)).toBe(vector);
  });

  it('verifies its own signature within the tolerance', () => {
    expect(verifyWebhookSignature(secret, vector, body, 300, 1700000000 + 299)).toBe(true);
  });

  it('rejects a stale timestamp, another secret, a changed body and malformed headers', () => {
    expect(verifyWebhookSignature(secret, vector, body, 300, 1700000000 + 301)).toBe(false);
    expect(verifyWebhookSignature('other', vector, body, 300, 1700000000)).toBe(false);
    expect(verifyWebhookSignature(secret, vector, `${body} `, 300, 1700000000)).toBe(false);
    expect(verifyWebhookSignature(secret, undefined, body, 300, 1700000000)).toBe(false);
    expect(verifyWebhookSignature(secret, 'v1=abc', body, 300, 1700000000)).toBe(false);
    expect(verifyWebhookSignature(secret, 't=1700000000,v1=zz', body, 300, 1700000000)).toBe(false);
  });

  it('accepts any matching v1 entry (secret rotation)', () => {
    const rotated = `t=1700000000,v1=${'0'.repeat(64)},${vector.split(',')[1]}`;
    expect(verifyWebhookSignature(secret, rotated, body, 300, 1700000000)).toBe(true);
  });
});
