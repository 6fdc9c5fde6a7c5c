import { EnvInt, EnvNumber, EnvString, readEnv } from '@tf/config';

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

/** TF_RATE_LIMIT_*, TF_QUOTA_* (unset: unlimited), TF_REDIS_URL, read through @tf/config's readEnv. */
class LimitsEnv {
  @EnvInt({ min: 1 }) TF_RATE_LIMIT_CAPACITY = 100;
  @EnvNumber({ positive: true }) TF_RATE_LIMIT_REFILL_PER_S = 10;
  @EnvInt({ min: 0 }) TF_QUOTA_STORAGE_BYTES?: number;
  @EnvInt({ min: 0 }) TF_QUOTA_JOBS_PER_DAY?: number;
  @EnvInt({ min: 0 }) TF_QUOTA_CONCURRENT_JOBS?: number;
  @EnvString() TF_REDIS_URL = 'redis://127.0.0.1:6380';
}

export function limitsConfig(env: NodeJS.ProcessEnv = process.env): LimitsConfig {
  const read = readEnv(LimitsEnv, env);
  return {
    rateLimitCapacity: read.TF_RATE_LIMIT_CAPACITY,
    rateLimitRefillPerSecond: read.TF_RATE_LIMIT_REFILL_PER_S,
    quotaStorageBytes: read.TF_QUOTA_STORAGE_BYTES ?? null,
    quotaJobsPerDay: read.TF_QUOTA_JOBS_PER_DAY ?? null,
    quotaConcurrentJobs: read.TF_QUOTA_CONCURRENT_JOBS ?? null,
    redisUrl: read.TF_REDIS_URL,
  };
}
