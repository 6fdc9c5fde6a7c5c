import { decideAfterAttempt } from './webhook-retry';
import { webhookConfigFromEnv } from './notifier.config';

describe('decideAfterAttempt', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 5000 };

  it('delivers on any 2xx', () => {
    for (const code of [200, 201, 204, 299]) expect(decideAfterAttempt(1, code, policy)).toEqual({ status: 'delivered' });
  });

  it('retries non-2xx, timeouts and connection errors on the backoffDelayMs schedule (equal jitter, capped)', () => {
    const low = [1, 2, 3].map((n) => decideAfterAttempt(n, 500, policy, () => 0));
    const high = [1, 2, 3].map((n) => decideAfterAttempt(n, null, policy, () => 1));
    expect(low).toEqual([500, 1000, 2000].map((retryInMs) => ({ status: 'pending', retryInMs })));
    expect(high).toEqual([1000, 2000, 4000].map((retryInMs) => ({ status: 'pending', retryInMs })));
    expect(decideAfterAttempt(3, 302, { ...policy, maxDelayMs: 3000 }, () => 1)).toEqual({ status: 'pending', retryInMs: 3000 });
  });

  it('fails after maxAttempts attempts', () => {
    expect(decideAfterAttempt(4, 500, policy)).toEqual({ status: 'failed' });
    expect(decideAfterAttempt(4, 200, policy)).toEqual({ status: 'delivered' });
  });
});

describe('webhookConfigFromEnv', () => {
  it('defaults to a 10 s timeout, 1 s base delay, 8 attempts and the documented dev secret', () => {
    const c = webhookConfigFromEnv({});
    expect(c).toMatchObject({ secret: 'tf-dev-webhook-secret', usesDevSecret: true, timeoutMs: 10_000, pollIntervalMs: 1_000 });
    expect(c.retry).toMatchObject({ baseDelayMs: 1_000, maxAttempts: 8 });
    expect(c.leaseMs).toBeGreaterThan(c.timeoutMs);
  });

  it('reads overrides', () => {
    const c = webhookConfigFromEnv({ TF_WEBHOOK_SECRET: 's', TF_WEBHOOK_MAX_ATTEMPTS: '3', TF_WEBHOOK_BASE_DELAY_MS: '200' });
    expect(c).toMatchObject({ secret: 's', usesDevSecret: false, retry: { maxAttempts: 3, baseDelayMs: 200 } });
  });
});
