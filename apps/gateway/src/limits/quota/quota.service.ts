import { Inject, Injectable, Logger } from '@nestjs/common';
import { metricsRegistry } from '@tf/observability';
import { randomUUID } from 'node:crypto';
import { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { GATEWAY_CONFIG, GatewayConfig } from '../../config/gateway.config';
import { ApiError } from '../../http/api-error';
import { EffectiveLimits, KeyLimits, NO_OVERRIDES, effectiveLimits } from '../key-limits';
import { LIMITS_CONFIG, LimitsConfig } from '../limits.config';
import { QuotaRepository, RESERVATION_TTL_S } from './quota.repository';
import { QuotaBreach, QuotaExceededError, TenantUsage, checkNewJob, uploadTooLarge } from './quotas';

const refusals = new Counter({
  name: 'tf_quota_refusals_total',
  help: 'Requests refused by a quota or the max upload size, by quota.',
  labelNames: ['quota'] as const,
  registers: [metricsRegistry],
});

/**
 * Room a multipart body needs beyond its file: boundaries, part headers, the short text fields. A
 * Content-Length more than this above the limit cannot carry a file within it, so it is refused
 * before a byte is read; closer to the limit, the stream is cut once the file passes it.
 */
const FORM_ALLOWANCE_BYTES = 64 * 1024;

/** An upload let in by the quotas: its byte limit, and its place counted until the job row replaces it. */
export interface UploadAdmission {
  /** Largest file to accept: the key's max upload size, or what the storage quota leaves if less. */
  readonly maxBytes: number;
  /**
   * In the job's transaction, before the job row is inserted: re-checks the quotas under the
   * tenant's lock with the real size and turns the reservation into the job (throws QUOTA_EXCEEDED).
   */
  commit(tx: EntityManager, bytes: number): Promise<void>;
  /** Gives the place back (idempotent; a no-op after commit). */
  release(): Promise<void>;
  /** Maps the receiver's UPLOAD_TOO_LARGE to QUOTA_EXCEEDED when the storage quota was the binding limit. */
  explain(error: unknown): unknown;
}

/** The API key a quota decision is for (an authenticated key; its limits override the defaults). */
export interface QuotaCaller {
  id: string;
  tenantId: string;
  limits?: KeyLimits;
}

/**
 * Quotas of the tenant an API key belongs to. Limits come from the calling key (its overrides over
 * TF_QUOTA_* / TF_MAX_UPLOAD_BYTES); usage is counted over the whole tenant, so more keys never
 * mean more quota, and a rotated key keeps the tenant's usage. Every decision is taken under the
 * tenant's Postgres advisory lock, so replicas cannot both let the last job in.
 */
@Injectable()
export class QuotaService {
  private readonly logger = new Logger(QuotaService.name);

  constructor(
    private readonly repo: QuotaRepository,
    @Inject(LIMITS_CONFIG) private readonly limits: LimitsConfig,
    @Inject(GATEWAY_CONFIG) private readonly gateway: GatewayConfig,
  ) {}

  limitsOf(caller: QuotaCaller): EffectiveLimits {
    return effectiveLimits(caller.limits ?? NO_OVERRIDES, this.limits, this.gateway.maxUploadBytes);
  }

  /** The tenant's usage now (uploads in flight included). */
  usage(tenantId: string): Promise<TenantUsage> {
    return this.repo.transaction((tx) => this.repo.usage(tx, tenantId));
  }

  /**
   * Decides on an upload before its body is read: 413 UPLOAD_TOO_LARGE when Content-Length shows
   * the file must exceed the key's max upload size; 429 QUOTA_EXCEEDED when one more job (of at
   * least that size) would break a quota. Otherwise reserves the job's place (and its declared
   * bytes) so concurrent uploads on any replica see it, and answers the admission. `declared`: the
   * request's Content-Length (null when unknown, e.g. chunked).
   */
  async admitUpload(caller: QuotaCaller, declared: number | null): Promise<UploadAdmission> {
    const limits = this.limitsOf(caller);
    if (declared !== null && declared > limits.max_upload_bytes + FORM_ALLOWANCE_BYTES) {
      refusals.inc({ quota: 'max_upload_bytes' });
      throw uploadTooLarge(limits.max_upload_bytes);
    }
    if (
      limits.quota_storage_bytes === null &&
      limits.quota_jobs_per_day === null &&
      limits.quota_concurrent_jobs === null
    ) {
      return new Admission(this.repo, this.logger, caller, limits, limits.max_upload_bytes, null, null);
    }
    const id = randomUUID();
    const atLeast = declared === null ? 1 : Math.max(1, declared - FORM_ALLOWANCE_BYTES);
    const usage = await this.repo.transaction(async (tx) => {
      await this.repo.lockTenant(tx, caller.tenantId);
      const now = await this.repo.usage(tx, caller.tenantId);
      const breach = checkNewJob(limits, now, atLeast, new Date());
      if (breach) throw this.refuse(breach);
      await this.repo.reserve(tx, {
        id,
        tenantId: caller.tenantId,
        apiKeyId: caller.id,
        bytes: declared === null ? 0 : Math.min(declared, limits.max_upload_bytes),
      });
      return now;
    });
    const storageLeft =
      limits.quota_storage_bytes === null ? Infinity : limits.quota_storage_bytes - usage.storageBytes;
    return new Admission(
      this.repo,
      this.logger,
      caller,
      limits,
      Math.min(limits.max_upload_bytes, storageLeft),
      id,
      usage,
    );
  }

  /**
   * For a client-driven upload announcing its size before sending bytes elsewhere (direct uploads):
   * 413 UPLOAD_TOO_LARGE above the key's max upload size, 429 QUOTA_EXCEEDED when one more job of
   * that size breaks a quota now. Reserves nothing: call assertCanStartJob again when it completes.
   */
  async checkUpload(caller: QuotaCaller, bytes: number): Promise<void> {
    const limits = this.limitsOf(caller);
    if (bytes > limits.max_upload_bytes) {
      refusals.inc({ quota: 'max_upload_bytes' });
      throw uploadTooLarge(limits.max_upload_bytes);
    }
    await this.repo.transaction((tx) => this.assertCanStartJob(tx, caller, bytes));
  }

  /**
   * For jobs made without an upload through this gateway (a retry, a backfill, a direct upload
   * completing): checks one more job of `bytes` source bytes in the caller's transaction, under the
   * tenant's lock; throws 429 QUOTA_EXCEEDED. Insert the job in the same transaction.
   */
  async assertCanStartJob(tx: EntityManager, caller: QuotaCaller, bytes: number): Promise<void> {
    const limits = this.limitsOf(caller);
    await this.repo.lockTenant(tx, caller.tenantId);
    const breach = checkNewJob(limits, await this.repo.usage(tx, caller.tenantId), bytes, new Date());
    if (breach) throw this.refuse(breach);
  }

  /** The refusal (429 QUOTA_EXCEEDED, with Retry-After when waiting helps: see QuotaExceededError). */
  private refuse(breach: QuotaBreach): QuotaExceededError {
    refusals.inc({ quota: breach.quota });
    return new QuotaExceededError(breach);
  }
}

class Admission implements UploadAdmission {
  private readonly heartbeat?: NodeJS.Timeout;
  private released = false;

  constructor(
    private readonly repo: QuotaRepository,
    private readonly logger: Logger,
    private readonly caller: QuotaCaller,
    private readonly limits: EffectiveLimits,
    readonly maxBytes: number,
    private readonly reservation: string | null,
    private readonly usageAtAdmission: TenantUsage | null,
  ) {
    if (reservation) {
      // A long upload keeps its place; a replica that dies stops renewing and the place expires.
      this.heartbeat = setInterval(
        () =>
          void this.repo
            .extend(reservation)
            .catch((e: Error) => this.logger.warn(`reservation ${reservation}: ${e.message}`)),
        (RESERVATION_TTL_S * 1000) / 4,
      );
      this.heartbeat.unref();
    }
  }

  async commit(tx: EntityManager, bytes: number): Promise<void> {
    if (!this.reservation) return;
    await this.repo.lockTenant(tx, this.caller.tenantId);
    await this.repo.release(this.reservation, tx);
    const breach = checkNewJob(
      this.limits,
      await this.repo.usage(tx, this.caller.tenantId, this.reservation),
      bytes,
      new Date(),
    );
    if (breach) {
      refusals.inc({ quota: breach.quota });
      throw new QuotaExceededError(breach);
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.reservation)
      await this.repo
        .release(this.reservation)
        .catch((e: Error) => this.logger.warn(`reservation ${this.reservation}: ${e.message}`));
  }

  explain(error: unknown): unknown {
    if (!(error instanceof ApiError) || error.code !== 'UPLOAD_TOO_LARGE') return error;
    if (this.maxBytes < this.limits.max_upload_bytes && this.limits.quota_storage_bytes !== null) {
      refusals.inc({ quota: 'storage_bytes' });
      return new QuotaExceededError({
        quota: 'storage_bytes',
        limit: this.limits.quota_storage_bytes,
        used: this.usageAtAdmission?.storageBytes ?? 0,
        retryAfterSeconds: null,
      });
    }
    refusals.inc({ quota: 'max_upload_bytes' });
    return uploadTooLarge(this.limits.max_upload_bytes);
  }
}
