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

export function retryPolicyFromEnv(env = process.env, fallback = DEFAULT_RETRY_POLICY): RetryPolicy {
  const num = (name: string, d: number) => (env[name] ? Number(env[name]) : d);
  return {
    maxAttempts: num('TF_RETRY_MAX_ATTEMPTS', fallback.maxAttempts),
    baseDelayMs: num('TF_RETRY_BASE_DELAY_MS', fallback.baseDelayMs),
    maxDelayMs: num('TF_RETRY_MAX_DELAY_MS', fallback.maxDelayMs),
  };
}
