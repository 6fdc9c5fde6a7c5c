import type { LimitsConfig } from './limits.config';

/**
 * A key's own rate limit and quotas (gateway.api_keys columns of the same names); null takes the
 * deployment's default. Limits belong to keys; usage is counted per tenant (see quota.service.ts).
 */
export interface KeyLimits {
  rate_limit_capacity: number | null;
  rate_limit_refill_per_s: number | null;
  quota_storage_bytes: number | null;
  quota_jobs_per_day: number | null;
  quota_concurrent_jobs: number | null;
  max_upload_bytes: number | null;
}

const LIMIT_NAMES = [
  'rate_limit_capacity',
  'rate_limit_refill_per_s',
  'quota_storage_bytes',
  'quota_jobs_per_day',
  'quota_concurrent_jobs',
  'max_upload_bytes',
] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

export const NO_OVERRIDES: KeyLimits = Object.freeze({
  rate_limit_capacity: null,
  rate_limit_refill_per_s: null,
  quota_storage_bytes: null,
  quota_jobs_per_day: null,
  quota_concurrent_jobs: null,
  max_upload_bytes: null,
});

/** What applies to a key: its overrides over the defaults; a null quota is unlimited. */
export interface EffectiveLimits {
  rate_limit_capacity: number;
  rate_limit_refill_per_s: number;
  quota_storage_bytes: number | null;
  quota_jobs_per_day: number | null;
  quota_concurrent_jobs: number | null;
  /** Never above the deployment's TF_MAX_UPLOAD_BYTES, which stays the hard cap. */
  max_upload_bytes: number;
}

export function effectiveLimits(own: KeyLimits, defaults: LimitsConfig, maxUploadBytes: number): EffectiveLimits {
  return {
    rate_limit_capacity: own.rate_limit_capacity ?? defaults.rateLimitCapacity,
    rate_limit_refill_per_s: own.rate_limit_refill_per_s ?? defaults.rateLimitRefillPerSecond,
    quota_storage_bytes: own.quota_storage_bytes ?? defaults.quotaStorageBytes,
    quota_jobs_per_day: own.quota_jobs_per_day ?? defaults.quotaJobsPerDay,
    quota_concurrent_jobs: own.quota_concurrent_jobs ?? defaults.quotaConcurrentJobs,
    max_upload_bytes: Math.min(own.max_upload_bytes ?? maxUploadBytes, maxUploadBytes),
  };
}

/** null (unlimited) sorts above every number. */
const above = (a: number | null, b: number | null): boolean => (a === null ? b !== null : b !== null && a > b);

/** The limits in which `wanted` grants more than `ceiling` (a tenant admin cannot hand out more than it has). */
export function limitsAbove(wanted: EffectiveLimits, ceiling: EffectiveLimits): LimitName[] {
  return LIMIT_NAMES.filter((name) => above(wanted[name], ceiling[name]));
}

/** Overrides given in a request (undefined: not given) over a base set. */
export function mergeLimits(base: KeyLimits, given: Partial<KeyLimits> | undefined): KeyLimits {
  const out: KeyLimits = { ...base };
  for (const name of LIMIT_NAMES) if (given?.[name] !== undefined) out[name] = given[name] ?? null;
  return out;
}
