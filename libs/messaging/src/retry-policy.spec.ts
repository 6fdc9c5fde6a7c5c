import { backoffDelayMs, retryPolicyFromEnv } from './retry-policy';

describe('backoffDelayMs', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };

  it('doubles the ceiling every attempt and keeps half of it fixed (equal jitter)', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, () => 0))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, () => 1))).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds maxDelayMs', () => {
    expect(backoffDelayMs(10, policy, () => 1)).toBe(1000);
  });

  it('reads overrides from the environment', () => {
    expect(retryPolicyFromEnv({ TF_RETRY_MAX_ATTEMPTS: '3' }, policy)).toEqual({ ...policy, maxAttempts: 3 });
  });
});
