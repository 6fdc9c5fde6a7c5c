import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../../http/api-error';
import type { EffectiveLimits } from '../key-limits';

type QuotaName = 'storage_bytes' | 'jobs_per_day' | 'concurrent_jobs';

/** What a tenant uses now; uploads in flight (reservations) are included. */
export interface TenantUsage {
  /** Source bytes of the tenant's jobs, plus the declared bytes of its uploads in flight. */
  storageBytes: number;
  /** Jobs created since 00:00 UTC, plus uploads in flight. */
  jobsToday: number;
  /** Jobs queued or processing, plus uploads in flight. */
  concurrentJobs: number;
}

export interface QuotaBreach {
  quota: QuotaName;
  limit: number;
  used: number;
  /** When waiting helps (jobs_per_day: until the next UTC day); else null. */
  retryAfterSeconds: number | null;
}

export function secondsUntilNextUtcDay(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

/**
 * Whether one more job of `bytes` source bytes fits the quotas; the first quota it breaks, in the
 * order concurrent_jobs, jobs_per_day, storage_bytes. A null limit is unlimited.
 */
export function checkNewJob(limits: EffectiveLimits, usage: TenantUsage, bytes: number, now: Date): QuotaBreach | null {
  const concurrent = limits.quota_concurrent_jobs;
  if (concurrent !== null && usage.concurrentJobs + 1 > concurrent)
    return { quota: 'concurrent_jobs', limit: concurrent, used: usage.concurrentJobs, retryAfterSeconds: null };
  const perDay = limits.quota_jobs_per_day;
  if (perDay !== null && usage.jobsToday + 1 > perDay)
    return {
      quota: 'jobs_per_day',
      limit: perDay,
      used: usage.jobsToday,
      retryAfterSeconds: secondsUntilNextUtcDay(now),
    };
  const storage = limits.quota_storage_bytes;
  if (storage !== null && usage.storageBytes + bytes > storage)
    return { quota: 'storage_bytes', limit: storage, used: usage.storageBytes, retryAfterSeconds: null };
  return null;
}

const DESCRIBE: Record<QuotaName, (b: QuotaBreach) => string> = {
  concurrent_jobs: (b) =>
    `The concurrent_jobs quota is reached: ${b.used} of ${b.limit} jobs are queued, processing or uploading`,
  jobs_per_day: (b) => `The jobs_per_day quota is reached: ${b.used} of ${b.limit} jobs today (UTC)`,
  storage_bytes: (b) => `The storage_bytes quota would be exceeded: ${b.used} of ${b.limit} bytes are stored`,
};

/** 429 QUOTA_EXCEEDED; `details` names the quota, its limit and the usage. */
export class QuotaExceededError extends ApiError {
  constructor(readonly breach: QuotaBreach) {
    super(HttpStatus.TOO_MANY_REQUESTS, 'QUOTA_EXCEEDED', DESCRIBE[breach.quota](breach));
  }

  /** Retry-After when waiting helps (jobs_per_day: until 00:00 UTC). */
  override get headers(): Readonly<Record<string, string>> {
    return this.breach.retryAfterSeconds === null ? {} : { 'Retry-After': String(this.breach.retryAfterSeconds) };
  }

  override getResponse(): { code: string; message: string; details: Record<string, unknown> } {
    const { quota, limit, used, retryAfterSeconds } = this.breach;
    return {
      code: this.code,
      message: this.message,
      details: { quota, limit, used, ...(retryAfterSeconds !== null ? { retry_after_s: retryAfterSeconds } : {}) },
    };
  }
}

/** 413 UPLOAD_TOO_LARGE for a key's (or the deployment's) max upload size. */
export const uploadTooLarge = (maxBytes: number): ApiError =>
  new ApiError(
    HttpStatus.PAYLOAD_TOO_LARGE,
    'UPLOAD_TOO_LARGE',
    `The file exceeds ${maxBytes} bytes, the largest upload this API key may send`,
  );
