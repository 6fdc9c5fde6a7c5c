import { webhookConfigFromEnv } from './notifier.config';

describe('notifier config', () => {
  it('reads the delivery settings, the lease defaulting to the timeout plus 30 s', () => {
    const config = webhookConfigFromEnv({ TF_WEBHOOK_TIMEOUT_MS: '5000', TF_WEBHOOK_MAX_ATTEMPTS: '3' });
    expect(config).toMatchObject({
      timeoutMs: 5000,
      leaseMs: 35_000,
      retry: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 600_000 },
      pollIntervalMs: 1_000,
      batchSize: 10,
    });
  });

  it.each([
    'TF_WEBHOOK_TIMEOUT_MS',
    'TF_WEBHOOK_MAX_ATTEMPTS',
    'TF_WEBHOOK_LEASE_MS',
    'TF_WEBHOOK_POLL_MS',
    'TF_WEBHOOK_BATCH_SIZE',
  ])('refuses %s=abc naming it (it became NaN before)', (name) => {
    expect(() => webhookConfigFromEnv({ [name]: 'abc' })).toThrow(new RegExp(`${name} must be an integer number`));
  });
});
