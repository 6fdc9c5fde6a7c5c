import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { KeyLimits, NO_OVERRIDES } from '../limits/key-limits';
import { ApiKeyEntity } from './api-key.entity';

export interface NewApiKeyRow {
  id: string;
  prefix: string;
  keyHash: string;
  tenantId: string;
  scopes: string[];
  name: string | null;
  platformAdmin?: boolean;
  /** Made from TF_BOOTSTRAP_API_KEY. */
  bootstrap?: boolean;
  limits?: KeyLimits;
}

export type RotateOutcome = { old: ApiKeyEntity; created: ApiKeyEntity } | 'not_found' | 'not_active';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isKeyId = (v: string): boolean => UUID.test(v);

/** The overrides a row carries, in the API's names. */
export function limitsOf(row: ApiKeyEntity): KeyLimits {
  return {
    rate_limit_capacity: row.rateLimitCapacity,
    rate_limit_refill_per_s: row.rateLimitRefillPerS,
    quota_storage_bytes: row.quotaStorageBytes,
    quota_jobs_per_day: row.quotaJobsPerDay,
    quota_concurrent_jobs: row.quotaConcurrentJobs,
    max_upload_bytes: row.maxUploadBytes,
  };
}

function columnsOf(row: NewApiKeyRow): Omit<ApiKeyEntity, 'createdAt' | 'revokedAt' | 'replacedBy' | 'retiredAt'> {
  const l = row.limits ?? NO_OVERRIDES;
  return {
    id: row.id,
    prefix: row.prefix,
    keyHash: row.keyHash,
    tenantId: row.tenantId,
    scopes: row.scopes,
    name: row.name,
    platformAdmin: row.platformAdmin ?? false,
    bootstrap: row.bootstrap ?? false,
    rateLimitCapacity: l.rate_limit_capacity,
    rateLimitRefillPerS: l.rate_limit_refill_per_s,
    quotaStorageBytes: l.quota_storage_bytes,
    quotaJobsPerDay: l.quota_jobs_per_day,
    quotaConcurrentJobs: l.quota_concurrent_jobs,
    maxUploadBytes: l.max_upload_bytes,
  };
}

/**
 * All reads and writes of gateway.api_keys. Nothing here caches: every request reads its key, so a
 * revocation committed by any replica (or the CLI) holds on every replica at once.
 */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(tx?: EntityManager) {
    return (tx ?? this.dataSource.manager).getRepository(ApiKeyEntity);
  }

  /** Keys sharing a lookup prefix that still work (nearly always zero or one). */
  findActiveByPrefix(prefix: string): Promise<ApiKeyEntity[]> {
    return this.repo()
      .createQueryBuilder('k')
      .where('k.prefix = :prefix', { prefix })
      .andWhere('(k.revoked_at IS NULL OR k.revoked_at > now())')
      .getMany();
  }

  findByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.repo().findOne({ where: { keyHash } });
  }

  /** A key by id; with a tenant, another tenant's key is as absent as an unknown one. */
  async findById(id: string, tenantId?: string): Promise<ApiKeyEntity | null> {
    if (!isKeyId(id)) return null;
    return this.repo().findOne({ where: tenantId === undefined ? { id } : { id, tenantId } });
  }

  /** Keys an operator names by id or by (a leading part of) the prefix shown in lists. */
  findByIdOrPrefix(idOrPrefix: string): Promise<ApiKeyEntity[]> {
    if (isKeyId(idOrPrefix)) return this.repo().find({ where: { id: idOrPrefix } });
    return this.repo().find({ where: { prefix: idOrPrefix }, order: { createdAt: 'ASC' } });
  }

  /** Inserts unless a key with the same hash exists; replicas starting together race here safely. */
  async insertIfAbsent(row: NewApiKeyRow, tx?: EntityManager): Promise<boolean> {
    const result = await this.repo(tx)
      .createQueryBuilder()
      .insert()
      .values(columnsOf(row))
      .orIgnore()
      .returning('id')
      .execute();
    return result.raw.length > 0;
  }

  /** Marks a key platform admin (the bootstrap key, also when it was made before the flag existed). */
  async markPlatformAdmin(keyHash: string): Promise<void> {
    await this.repo().update({ keyHash }, { platformAdmin: true });
  }

  /**
   * The configured bootstrap key, which exists: marks it a bootstrap key and platform admin and, when
   * it had been retired (configured again, e.g. a rolled-back deployment), makes it work again. A key
   * revoked through the API or rotated stays revoked. Returns the row afterwards.
   */
  async adoptBootstrapKey(keyHash: string): Promise<ApiKeyEntity | null> {
    await this.dataSource.query(
      `UPDATE api_keys SET bootstrap = true, platform_admin = true,
         revoked_at = CASE WHEN retired_at IS NOT NULL AND replaced_by IS NULL THEN NULL ELSE revoked_at END,
         retired_at = CASE WHEN replaced_by IS NULL THEN NULL ELSE retired_at END
       WHERE key_hash = $1`,
      [keyHash],
    );
    return this.findByHash(keyHash);
  }

  /** Revokes now, as retired, every working bootstrap key other than `keepHash` (null: all of them); returns their prefixes. */
  async retireBootstrapKeys(keepHash: string | null): Promise<string[]> {
    const [rows] = (await this.dataSource.query(
      `UPDATE api_keys SET revoked_at = now(), retired_at = now()
       WHERE bootstrap AND (revoked_at IS NULL OR revoked_at > now()) AND key_hash IS DISTINCT FROM $1
       RETURNING prefix`,
      [keepHash],
    )) as [Array<{ prefix: string }>, number];
    return rows.map((r) => r.prefix);
  }

  list(tenantId?: string): Promise<ApiKeyEntity[]> {
    return this.repo().find({
      where: tenantId !== undefined ? { tenantId } : {},
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** Those of `ids` that no longer authenticate: revoked (a rotation's grace period over) or deleted. */
  async revokedAmong(ids: string[]): Promise<string[]> {
    const valid = ids.filter(isKeyId);
    if (valid.length === 0) return [];
    const active = await this.repo()
      .createQueryBuilder('k')
      .select('k.id', 'id')
      .where('k.id IN (:...ids)', { ids: valid })
      .andWhere('(k.revoked_at IS NULL OR k.revoked_at > now())')
      .getRawMany<{ id: string }>();
    const stillActive = new Set(active.map((r) => r.id));
    return valid.filter((id) => !stillActive.has(id));
  }

  /** Revokes by id or by prefix, now (also a rotated key still in its grace period); returns how many. */
  async revoke(idOrPrefix: string): Promise<number> {
    const byId = isKeyId(idOrPrefix);
    const result = await this.repo()
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()' })
      .where(byId ? 'id = :v' : 'prefix = :v', { v: idOrPrefix })
      .andWhere('(revoked_at IS NULL OR revoked_at > now())')
      .execute();
    return result.affected ?? 0;
  }

  /** Revokes one key now (of the tenant, when given); the row afterwards, or null if there is none. */
  async revokeById(id: string, tenantId?: string): Promise<ApiKeyEntity | null> {
    if (!isKeyId(id)) return null;
    const qb = this.repo()
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()' })
      .where('id = :id', { id })
      .andWhere('(revoked_at IS NULL OR revoked_at > now())');
    if (tenantId !== undefined) qb.andWhere('tenant_id = :tenantId', { tenantId });
    await qb.execute();
    return this.findById(id, tenantId);
  }

  /**
   * Replaces an active key by `next` in one transaction: the old row, locked, gets
   * revoked_at = now() + grace and replaced_by; a key already rotated or revoked is 'not_active'.
   */
  async rotate(
    id: string,
    tenantId: string | undefined,
    graceSeconds: number,
    next: NewApiKeyRow,
  ): Promise<RotateOutcome> {
    if (!isKeyId(id)) return 'not_found';
    return this.dataSource.transaction(async (tx) => {
      const old = await this.repo(tx).findOne({
        where: tenantId === undefined ? { id } : { id, tenantId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!old) return 'not_found';
      if (old.revokedAt) return 'not_active';
      if (!(await this.insertIfAbsent(next, tx))) throw new Error('key hash collision');
      await this.repo(tx)
        .createQueryBuilder()
        .update()
        .set({ revokedAt: () => 'now() + make_interval(secs => :grace)', replacedBy: next.id })
        .where('id = :id', { id })
        .setParameter('grace', graceSeconds)
        .execute();
      const updated = await this.repo(tx).findOneOrFail({ where: { id } });
      const created = await this.repo(tx).findOneOrFail({ where: { id: next.id } });
      return { old: updated, created };
    });
  }
}
