import { ArgumentsHost, HttpStatus } from '@nestjs/common';
import { ApiExceptionFilter, toApiError } from '../http/api-exception.filter';
import { EffectiveLimits, NO_OVERRIDES, effectiveLimits, limitsAbove, mergeLimits } from './key-limits';
import { limitsConfig } from './limits.config';
import { QuotaExceededError, checkNewJob, secondsUntilNextUtcDay, uploadTooLarge } from './quota/quotas';
import { rateLimitHeaders } from './rate/rate-limit-headers';

const defaults = limitsConfig({});

describe('limits config', () => {
  it('defaults to 100 tokens, 10 per second, no quotas, the local Redis', () => {
    expect(defaults).toEqual({
      rateLimitCapacity: 100,
      rateLimitRefillPerSecond: 10,
      quotaStorageBytes: null,
      quotaJobsPerDay: null,
      quotaConcurrentJobs: null,
      redisUrl: 'redis://127.0.0.1:6380',
    });
  });

  it('reads the environment; blank is unset', () => {
    const c = limitsConfig({
      TF_RATE_LIMIT_CAPACITY: '5',
      TF_RATE_LIMIT_REFILL_PER_S: '0.5',
      TF_QUOTA_STORAGE_BYTES: '1000',
      TF_QUOTA_JOBS_PER_DAY: '0',
      TF_QUOTA_CONCURRENT_JOBS: '',
      TF_REDIS_URL: 'redis://r:1',
    });
    expect(c).toEqual({
      rateLimitCapacity: 5,
      rateLimitRefillPerSecond: 0.5,
      quotaStorageBytes: 1000,
      quotaJobsPerDay: 0,
      quotaConcurrentJobs: null,
      redisUrl: 'redis://r:1',
    });
  });

  it.each([
    ['TF_RATE_LIMIT_CAPACITY', '0'],
    ['TF_RATE_LIMIT_CAPACITY', '1.5'],
    ['TF_RATE_LIMIT_REFILL_PER_S', '0'],
    ['TF_QUOTA_JOBS_PER_DAY', '-1'],
    ['TF_QUOTA_STORAGE_BYTES', 'lots'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => limitsConfig({ [name]: value })).toThrow(name);
  });
});

describe('key limits', () => {
  it('takes the key overrides over the defaults and caps the upload size at the deployment max', () => {
    const l = effectiveLimits(
      { ...NO_OVERRIDES, rate_limit_capacity: 3, quota_jobs_per_day: 7, max_upload_bytes: 5000 },
      defaults,
      1000,
    );
    expect(l).toEqual({
      rate_limit_capacity: 3,
      rate_limit_refill_per_s: 10,
      quota_storage_bytes: null,
      quota_jobs_per_day: 7,
      quota_concurrent_jobs: null,
      max_upload_bytes: 1000,
    });
    expect(effectiveLimits(NO_OVERRIDES, defaults, 1000).max_upload_bytes).toBe(1000);
  });

  it('merges given overrides (null resets to the default, undefined keeps)', () => {
    const base = { ...NO_OVERRIDES, quota_jobs_per_day: 5, quota_concurrent_jobs: 2 };
    expect(mergeLimits(base, { quota_jobs_per_day: 3, quota_concurrent_jobs: null })).toEqual({
      ...NO_OVERRIDES,
      quota_jobs_per_day: 3,
    });
    expect(mergeLimits(base, undefined)).toEqual(base);
  });

  it('names the limits above a ceiling, unlimited counting as the most', () => {
    const ceiling: EffectiveLimits = {
      rate_limit_capacity: 10,
      rate_limit_refill_per_s: 1,
      quota_storage_bytes: 100,
      quota_jobs_per_day: null,
      quota_concurrent_jobs: 2,
      max_upload_bytes: 50,
    };
    expect(limitsAbove(ceiling, ceiling)).toEqual([]);
    expect(
      limitsAbove(
        { ...ceiling, quota_storage_bytes: null, quota_jobs_per_day: 1000, rate_limit_capacity: 11 },
        ceiling,
      ),
    ).toEqual(['rate_limit_capacity', 'quota_storage_bytes']);
    expect(limitsAbove({ ...ceiling, quota_concurrent_jobs: 1, max_upload_bytes: 10 }, ceiling)).toEqual([]);
  });
});

describe('quotas', () => {
  const limits: EffectiveLimits = {
    rate_limit_capacity: 1,
    rate_limit_refill_per_s: 1,
    quota_storage_bytes: 1000,
    quota_jobs_per_day: 3,
    quota_concurrent_jobs: 2,
    max_upload_bytes: 500,
  };
  const now = new Date('2026-11-30T23:59:00.500Z');

  it('lets a job in while every quota has room', () => {
    expect(checkNewJob(limits, { storageBytes: 900, jobsToday: 2, concurrentJobs: 1 }, 100, now)).toBeNull();
    expect(
      checkNewJob(
        { ...limits, quota_storage_bytes: null, quota_jobs_per_day: null, quota_concurrent_jobs: null },
        { storageBytes: 1e12, jobsToday: 1e6, concurrentJobs: 1e4 },
        1e9,
        now,
      ),
    ).toBeNull();
  });

  it('names the first quota broken: concurrent_jobs, jobs_per_day (retry at the next UTC day), storage_bytes', () => {
    expect(checkNewJob(limits, { storageBytes: 2000, jobsToday: 3, concurrentJobs: 2 }, 1, now)).toEqual({
      quota: 'concurrent_jobs',
      limit: 2,
      used: 2,
      retryAfterSeconds: null,
    });
    expect(checkNewJob(limits, { storageBytes: 2000, jobsToday: 3, concurrentJobs: 0 }, 1, now)).toEqual({
      quota: 'jobs_per_day',
      limit: 3,
      used: 3,
      retryAfterSeconds: 60,
    });
    expect(checkNewJob(limits, { storageBytes: 901, jobsToday: 0, concurrentJobs: 0 }, 100, now)).toEqual({
      quota: 'storage_bytes',
      limit: 1000,
      used: 901,
      retryAfterSeconds: null,
    });
  });

  it('counts seconds to the next UTC midnight', () => {
    expect(secondsUntilNextUtcDay(new Date('2026-11-30T00:00:00Z'))).toBe(86_400);
    expect(secondsUntilNextUtcDay(new Date('2026-12-31T23:59:59.900Z'))).toBe(1);
  });

  it('answers 429 QUOTA_EXCEEDED with the quota in details, and 413 UPLOAD_TOO_LARGE', () => {
    const e = new QuotaExceededError({ quota: 'jobs_per_day', limit: 3, used: 3, retryAfterSeconds: 60 });
    expect(toApiError(e)).toEqual({
      status: HttpStatus.TOO_MANY_REQUESTS,
      body: {
        code: 'QUOTA_EXCEEDED',
        message: expect.stringContaining('jobs_per_day'),
        details: { quota: 'jobs_per_day', limit: 3, used: 3, retry_after_s: 60 },
      },
    });
    expect(
      toApiError(new QuotaExceededError({ quota: 'storage_bytes', limit: 1, used: 1, retryAfterSeconds: null })).body
        .details,
    ).toEqual({ quota: 'storage_bytes', limit: 1, used: 1 });
    expect(toApiError(uploadTooLarge(10))).toEqual({
      status: 413,
      body: { code: 'UPLOAD_TOO_LARGE', message: expect.stringContaining('10 bytes') },
    });
  });

  it('answers Retry-After with QUOTA_EXCEEDED when waiting helps (the quota service sets no header itself)', () => {
    /** The headers of the answer the ApiExceptionFilter writes (a ServerResponse faked at the boundary). */
    const headersOf = (exception: unknown): Record<string, string> => {
      const headers: Record<string, string> = {};
      const res = {
        headersSent: false,
        statusCode: 0,
        setHeader: (name: string, value: string) => (headers[name] = value),
        end: () => undefined,
      };
      const host = {
        getType: () => 'http',
        switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ complete: true }) }),
      } as unknown as ArgumentsHost;
      new ApiExceptionFilter().catch(exception, host);
      return headers;
    };
    expect(
      headersOf(new QuotaExceededError({ quota: 'jobs_per_day', limit: 3, used: 3, retryAfterSeconds: 60 }))[
        'Retry-After'
      ],
    ).toBe('60');
    expect(
      headersOf(new QuotaExceededError({ quota: 'concurrent_jobs', limit: 1, used: 1, retryAfterSeconds: null }))[
        'Retry-After'
      ],
    ).toBeUndefined();
  });
});

describe('rate limit headers', () => {
  const policy = { capacity: 10, refillPerSecond: 2 };

  it('sets the draft RateLimit fields on an allowed request', () => {
    expect(rateLimitHeaders({ allowed: true, remaining: 7, resetSeconds: 2, retryAfterSeconds: 0, policy })).toEqual({
      'RateLimit-Limit': '10',
      'RateLimit-Remaining': '7',
      'RateLimit-Reset': '2',
      'RateLimit-Policy': '10;w=5;burst=10',
    });
  });

  it('adds Retry-After (at least 1 s) when refused', () => {
    const h = rateLimitHeaders({ allowed: false, remaining: 0, resetSeconds: 5, retryAfterSeconds: 0, policy });
    expect(h['Retry-After']).toBe('1');
    expect(h['RateLimit-Remaining']).toBe('0');
  });
});
