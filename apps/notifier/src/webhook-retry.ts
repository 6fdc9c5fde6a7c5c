import { RetryPolicy, backoffDelayMs } from '@tf/messaging';

/** What becomes of a delivery after one attempt. */
export type AttemptDecision = { status: 'delivered' } | { status: 'pending'; retryInMs: number } | { status: 'failed' };

export const isSuccessStatus = (statusCode: number | null): boolean =>
  statusCode !== null && statusCode >= 200 && statusCode < 300;

/**
 * 2xx delivers; anything else (other status, timeout, connection error) retries with the pipeline's
 * exponential backoff + jitter until `maxAttempts` attempts were made, then the delivery fails.
 */
export function decideAfterAttempt(
  attempt: number,
  statusCode: number | null,
  policy: RetryPolicy,
  random = Math.random,
): AttemptDecision {
  if (isSuccessStatus(statusCode)) return { status: 'delivered' };
  if (attempt >= policy.maxAttempts) return { status: 'failed' };
  return { status: 'pending', retryInMs: backoffDelayMs(attempt, policy, random) };
}
