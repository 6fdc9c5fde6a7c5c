import { EnvInt, readEnv, signingSecret } from '@tf/config';
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

class NotifierEnv {
  @EnvInt({ min: 1 }) TF_WEBHOOK_TIMEOUT_MS = 10_000;
  @EnvInt({ min: 1 }) TF_WEBHOOK_MAX_ATTEMPTS = 8;
  @EnvInt({ min: 0 }) TF_WEBHOOK_BASE_DELAY_MS = 1_000;
  @EnvInt({ min: 0 }) TF_WEBHOOK_MAX_DELAY_MS = 10 * 60_000;
  /** Unset: the timeout plus 30 s. */
  @EnvInt({ min: 1 }) TF_WEBHOOK_LEASE_MS?: number;
  @EnvInt({ min: 1 }) TF_WEBHOOK_POLL_MS = 1_000;
  @EnvInt({ min: 1 }) TF_WEBHOOK_BATCH_SIZE = 10;
}

export function webhookConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  const read = readEnv(NotifierEnv, env);
  const timeoutMs = read.TF_WEBHOOK_TIMEOUT_MS;
  const secret = signingSecret(env, 'TF_WEBHOOK_SECRET');
  return {
    secret: secret.value,
    timeoutMs,
    retry: {
      maxAttempts: read.TF_WEBHOOK_MAX_ATTEMPTS,
      baseDelayMs: read.TF_WEBHOOK_BASE_DELAY_MS,
      maxDelayMs: read.TF_WEBHOOK_MAX_DELAY_MS,
    },
    // Longer than any attempt can take, so a live replica's POST never overlaps a retry of it.
    leaseMs: read.TF_WEBHOOK_LEASE_MS ?? timeoutMs + 30_000,
    pollIntervalMs: read.TF_WEBHOOK_POLL_MS,
    batchSize: read.TF_WEBHOOK_BATCH_SIZE,
    secretGenerated: secret.generated,
    egress: egressPolicyFromEnv(env),
  };
}
