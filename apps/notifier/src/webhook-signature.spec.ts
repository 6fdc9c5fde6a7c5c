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

describe('webhook signature with two secrets (rotation grace window)', () => {
  const body = '{"type":"video.completed"}';

  it('has one v1 entry per secret, newest first, and verifies with either', () => {
    const header = signWebhook(['whsec_new', 'whsec_old'], 1700000000, body);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(header.split(',')[1]).toBe(signWebhook('whsec_new', 1700000000, body).split(',')[1]);
    expect(verifyWebhookSignature('whsec_new', header, body, 300, 1700000000)).toBe(true);
    expect(verifyWebhookSignature('whsec_old', header, body, 300, 1700000000)).toBe(true);
    expect(verifyWebhookSignature('whsec_other', header, body, 300, 1700000000)).toBe(false);
  });

  it('refuses to sign with no secret at all', () => {
    expect(() => signWebhook([], 1700000000, body)).toThrow();
  });
});
