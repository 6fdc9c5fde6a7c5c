/**
 * Default rate limit and quotas of an API key (a key's own overrides win; see key-limits.ts), from
 * the environment. A quota left unset is unlimited.
 */
export interface LimitsConfig {
  /** Token bucket size: the burst a key may send at once. */
  rateLimitCapacity: number;
  /** Tokens added per second: the sustained request rate. */
  rateLimitRefillPerSecond: number;
  /** Source bytes a tenant may keep stored (sum over its jobs); null: unlimited. */
  quotaStorageBytes: number | null;
  /** Jobs a tenant may start per UTC day; null: unlimited. */
  quotaJobsPerDay: number | null;
  /** Jobs a tenant may have queued or processing at once (uploads in flight count); null: unlimited. */
  quotaConcurrentJobs: number | null;
  /** Where the shared rate limit state lives. */
  redisUrl: string;
}

export const LIMITS_CONFIG = Symbol('LIMITS_CONFIG');

/** A number from the environment, validated (integer, at least `min`); blank or unset: null. */
export function numberFrom(env: NodeJS.ProcessEnv, name: string, opts: { integer: boolean; min: number }): number | null {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return null;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < opts.min || (opts.integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be ${opts.integer ? 'an integer' : 'a number'} >= ${opts.min}, got "${raw}"`);
  }
  return value;
}

export function limitsConfig(env: NodeJS.ProcessEnv = process.env): LimitsConfig {
  const refill = numberFrom(env, 'TF_RATE_LIMIT_REFILL_PER_S', { integer: false, min: 0 }) ?? 10;
  if (refill <= 0) throw new Error('TF_RATE_LIMIT_REFILL_PER_S must be above 0');
  return {
    rateLimitCapacity: numberFrom(env, 'TF_RATE_LIMIT_CAPACITY', { integer: true, min: 1 }) ?? 100,
    rateLimitRefillPerSecond: refill,
    quotaStorageBytes: numberFrom(env, 'TF_QUOTA_STORAGE_BYTES', { integer: true, min: 0 }),
    quotaJobsPerDay: numberFrom(env, 'TF_QUOTA_JOBS_PER_DAY', { integer: true, min: 0 }),
    quotaConcurrentJobs: numberFrom(env, 'TF_QUOTA_CONCURRENT_JOBS', { integer: true, min: 0 }),
    redisUrl: env.TF_REDIS_URL || 'redis://127.0.0.1:6380',
  };
}
