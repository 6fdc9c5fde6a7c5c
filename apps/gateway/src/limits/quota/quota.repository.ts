import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { TenantUsage } from './quotas';

/** How long an upload in flight holds its place without a heartbeat (a replica that died lets go then). */
export const RESERVATION_TTL_S = 120;

/**
 * Tenant usage for quotas, read from gateway.jobs, and gateway.upload_reservations: the uploads in
 * flight that admission already counted. Checks that must not race take the tenant's advisory lock
 * (transaction-scoped), which every replica shares through Postgres.
 */
@Injectable()
export class QuotaRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(fn: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  /** Serializes quota decisions of one tenant until the transaction ends. */
  async lockTenant(tx: EntityManager, tenantId: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`tf-quota:${tenantId}`]);
  }

  /** The tenant's usage, counting live reservations other than `exclude`. */
  async usage(tx: EntityManager, tenantId: string, exclude: string | null = null): Promise<TenantUsage> {
    const [row] = await tx.query(
      `SELECT
         (SELECT COALESCE(SUM((source->>'bytes')::bigint), 0) FROM jobs WHERE tenant_id = $1)::text AS job_bytes,
         (SELECT count(*) FROM jobs WHERE tenant_id = $1 AND created_at >= date_trunc('day', now(), 'UTC'))::int AS jobs_today,
         (SELECT count(*) FROM jobs WHERE tenant_id = $1 AND status IN ('queued', 'processing'))::int AS active_jobs,
         (SELECT COALESCE(SUM(bytes), 0) FROM upload_reservations WHERE tenant_id = $1 AND expires_at > now() AND id IS DISTINCT FROM $2::uuid)::text AS reserved_bytes,
         (SELECT count(*) FROM upload_reservations WHERE tenant_id = $1 AND expires_at > now() AND id IS DISTINCT FROM $2::uuid)::int AS reservations`,
      [tenantId, exclude],
    );
    return {
      storageBytes: Number(row.job_bytes) + Number(row.reserved_bytes),
      jobsToday: row.jobs_today + row.reservations,
      concurrentJobs: row.active_jobs + row.reservations,
    };
  }

  async reserve(
    tx: EntityManager,
    r: { id: string; tenantId: string; apiKeyId: string; bytes: number },
  ): Promise<void> {
    await tx.query("DELETE FROM upload_reservations WHERE expires_at < now() - interval '1 hour'");
    await tx.query(
      `INSERT INTO upload_reservations (id, tenant_id, api_key_id, bytes, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
      [r.id, r.tenantId, r.apiKeyId, r.bytes, RESERVATION_TTL_S],
    );
  }

  async extend(id: string): Promise<void> {
    await this.dataSource.query(
      'UPDATE upload_reservations SET expires_at = now() + make_interval(secs => $2) WHERE id = $1',
      [id, RESERVATION_TTL_S],
    );
  }

  async release(id: string, tx?: EntityManager): Promise<void> {
    await (tx ?? this.dataSource.manager).query('DELETE FROM upload_reservations WHERE id = $1', [id]);
  }
}
