import { readEnv } from '@tf/config';
import { MessagingEnv } from './messaging.env';

export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  /** Delay before the 2nd attempt; doubles each time. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * Exponential backoff with "equal jitter": half the exponential delay is fixed, half random, so
 * delays still grow with every attempt while replicas that failed together spread out.
 */
export function backoffDelayMs(failedAttempt: number, policy: RetryPolicy, random = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** TF_RETRY_MAX_ATTEMPTS, TF_RETRY_BASE_DELAY_MS, TF_RETRY_MAX_DELAY_MS over `fallback`; a value that is not a whole number in range throws, naming it. */
export function retryPolicyFromEnv(env = process.env, fallback = DEFAULT_RETRY_POLICY): RetryPolicy {
  const read = readEnv(MessagingEnv, env);
  return {
    maxAttempts: read.TF_RETRY_MAX_ATTEMPTS ?? fallback.maxAttempts,
    baseDelayMs: read.TF_RETRY_BASE_DELAY_MS ?? fallback.baseDelayMs,
    maxDelayMs: read.TF_RETRY_MAX_DELAY_MS ?? fallback.maxDelayMs,
  };
}
