import { signingSecret } from '@tf/config';
import { EgressPolicy, egressPolicyFromEnv } from '@tf/egress';
import { RetryPolicy } from '@tf/messaging';

export interface WebhookConfig {
  /** HMAC key of jobs' own webhook_url deliveries (TF_WEBHOOK_SECRET); required in production. */
  secret: string;
  /** Per attempt, connect to end of the response body. */
  timeoutMs: number;
  /** maxAttempts counts the first attempt; delays grow from baseDelayMs (see backoffDelayMs). */
  retry: RetryPolicy;
  /** How long a claimed row stays invisible to other replicas; a crash mid-POST retries after it. */
  leaseMs: number;
  /** Fallback poll: retries come due without a NOTIFY, and a NOTIFY can be missed. */
  pollIntervalMs: number;
  /** Rows claimed (and POSTed concurrently) per pass. */
  batchSize: number;
  /** TF_WEBHOOK_SECRET was unset outside production: a key of this process only (warned at start-up). */
  secretGenerated: boolean;
  /** Where webhooks may be sent: public addresses only, unless TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true. */
  egress: EgressPolicy;
}

export const WEBHOOK_CONFIG = Symbol('WEBHOOK_CONFIG');

export function webhookConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  const num = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
  const timeoutMs = num('TF_WEBHOOK_TIMEOUT_MS', 10_000);
  const secret = signingSecret(env, 'TF_WEBHOOK_SECRET');
  return {
    secret: secret.value,
    timeoutMs,
    retry: {
      maxAttempts: num('TF_WEBHOOK_MAX_ATTEMPTS', 8),
      baseDelayMs: num('TF_WEBHOOK_BASE_DELAY_MS', 1_000),
      maxDelayMs: num('TF_WEBHOOK_MAX_DELAY_MS', 10 * 60_000),
    },
    // Longer than any attempt can take, so a live replica's POST never overlaps a retry of it.
    leaseMs: num('TF_WEBHOOK_LEASE_MS', timeoutMs + 30_000),
    pollIntervalMs: num('TF_WEBHOOK_POLL_MS', 1_000),
    batchSize: num('TF_WEBHOOK_BATCH_SIZE', 10),
    secretGenerated: secret.generated,
    egress: egressPolicyFromEnv(env),
  };
}
