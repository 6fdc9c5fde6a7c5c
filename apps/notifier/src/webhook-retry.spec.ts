import { decideAfterAttempt } from './webhook-retry';
import { webhookConfigFromEnv } from './notifier.config';

describe('decideAfterAttempt', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 5000 };

  it('delivers on any 2xx', () => {
    for (const code of [200, 201, 204, 299])
      expect(decideAfterAttempt(1, code, policy)).toEqual({ status: 'delivered' });
  });

  it('retries non-2xx, timeouts and connection errors on the backoffDelayMs schedule (equal jitter, capped)', () => {
    const low = [1, 2, 3].map((n) => decideAfterAttempt(n, 500, policy, () => 0));
    const high = [1, 2, 3].map((n) => decideAfterAttempt(n, null, policy, () => 1));
    expect(low).toEqual([500, 1000, 2000].map((retryInMs) => ({ status: 'pending', retryInMs })));
    expect(high).toEqual([1000, 2000, 4000].map((retryInMs) => ({ status: 'pending', retryInMs })));
    expect(decideAfterAttempt(3, 302, { ...policy, maxDelayMs: 3000 }, () => 1)).toEqual({
      status: 'pending',
      retryInMs: 3000,
    });
  });

  it('fails after maxAttempts attempts', () => {
    expect(decideAfterAttempt(4, 500, policy)).toEqual({ status: 'failed' });
    expect(decideAfterAttempt(4, 200, policy)).toEqual({ status: 'delivered' });
  });
});

describe('webhookConfigFromEnv', () => {
  it('defaults to a 10 s timeout, 1 s base delay, 8 attempts and, without TF_WEBHOOK_SECRET, a random per-process secret', () => {
    const c = webhookConfigFromEnv({});
    expect(c).toMatchObject({ secretGenerated: true, timeoutMs: 10_000, pollIntervalMs: 1_000 });
    expect(c.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(webhookConfigFromEnv({}).secret).not.toBe(c.secret);
    expect(c.retry).toMatchObject({ baseDelayMs: 1_000, maxAttempts: 8 });
    expect(c.leaseMs).toBeGreaterThan(c.timeoutMs);
  });

  it('refuses to start in production without TF_WEBHOOK_SECRET, with a short one or with the old public default', () => {
    const strong = 'q'.repeat(8) + 'Zx81-_aB7cD9eF0gH2iJ4kL6mN8oP1rS3';
    expect(() => webhookConfigFromEnv({ TF_ENV: 'production' })).toThrow(
      /^TF_WEBHOOK_SECRET is required when TF_ENV=production/,
    );
    expect(() => webhookConfigFromEnv({ TF_ENV: 'production', TF_WEBHOOK_SECRET: 'short-secret' })).toThrow(
      /^TF_WEBHOOK_SECRET is too short/,
    );
    expect(() => webhookConfigFromEnv({ TF_WEBHOOK_SECRET: 'tf-dev-webhook-secret' })).toThrow(
      /^TF_WEBHOOK_SECRET is a published example value/,
    );
    expect(webhookConfigFromEnv({ TF_ENV: 'production', TF_WEBHOOK_SECRET: strong })).toMatchObject({
      secret: strong,
      secretGenerated: false,
    });
  });

  it('reads overrides', () => {
    const c = webhookConfigFromEnv({
      TF_WEBHOOK_SECRET: 's',
      TF_WEBHOOK_MAX_ATTEMPTS: '3',
      TF_WEBHOOK_BASE_DELAY_MS: '200',
    });
    expect(c).toMatchObject({ secret: 's', secretGenerated: false, retry: { maxAttempts: 3, baseDelayMs: 200 } });
  });
});
