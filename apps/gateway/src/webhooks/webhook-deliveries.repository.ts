import { Injectable } from '@nestjs/common';
import type { WebhookDeliveryRecorded } from '@tf/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { WebhookDeliveryViewEntity } from './webhook-delivery-view.entity';
import { isUuid } from './webhook-endpoints.repository';

export interface DeliveryFilter {
  jobId?: string;
  endpointId?: string;
  status?: string;
}

/** Position after the last item of a page (newest first). */
export interface DeliveryCursor {
  createdAt: Date;
  id: string;
}

const date = (ms: number | null): Date | null => (ms === null ? null : new Date(Number(ms)));

/** All reads and writes of gateway.webhook_deliveries (the projected delivery log). */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Applies a delivery's whole state when the event is newer than the row (or the row is new); older
   * or repeated versions change nothing. Resolves whether the row changed.
   */
  async project(tx: EntityManager, e: WebhookDeliveryRecorded & { tenant_id: string }): Promise<boolean> {
    const log = e.attempt_log.map((a) => ({
      number: a.number,
      series: a.series,
      started_at: new Date(Number(a.started_at)).toISOString(),
      duration_ms: a.duration_ms,
      status_code: a.status_code,
      error: a.error,
    }));
    const rows: unknown[] = await tx.query(
      `INSERT INTO webhook_deliveries AS w
         (id, tenant_id, endpoint_id, job_id, event_id, event_type, url, status, attempts, series, last_status_code, last_error,
          next_attempt_at, created_at, delivered_at, attempt_log, version, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::jsonb, $17, now())
       ON CONFLICT (id) DO UPDATE SET
         url = EXCLUDED.url, status = EXCLUDED.status, attempts = EXCLUDED.attempts, series = EXCLUDED.series,
         last_status_code = EXCLUDED.last_status_code, last_error = EXCLUDED.last_error, next_attempt_at = EXCLUDED.next_attempt_at,
         delivered_at = EXCLUDED.delivered_at, attempt_log = EXCLUDED.attempt_log, version = EXCLUDED.version, updated_at = now()
       WHERE w.version < EXCLUDED.version
       RETURNING id`,
      [
        e.delivery_id,
        e.tenant_id,
        e.endpoint_id,
        e.job_id,
        e.webhook_event_id,
        e.event_type,
        e.url,
        e.status,
        e.attempts,
        e.series,
        e.last_status_code,
        e.last_error,
        date(e.next_attempt_at),
        date(e.created_at),
        date(e.delivered_at),
        JSON.stringify(log),
        Number(e.version),
      ],
    );
    return rows.length > 0;
  }

  /** A tenant's delivery; another tenant's is as absent as an unknown one. */
  async findForTenant(id: string, tenantId: string): Promise<WebhookDeliveryViewEntity | null> {
    if (!isUuid(id)) return null;
    return this.dataSource.getRepository(WebhookDeliveryViewEntity).findOne({ where: { id, tenantId } });
  }

  async existsForJob(tenantId: string, jobId: string): Promise<boolean> {
    return this.dataSource.getRepository(WebhookDeliveryViewEntity).exists({ where: { tenantId, jobId } });
  }

  /** One page, newest first, strictly after `cursor`; asks for limit + 1 rows so the caller knows if more follow. */
  async list(
    tenantId: string,
    filter: DeliveryFilter,
    cursor: DeliveryCursor | null,
    limit: number,
  ): Promise<WebhookDeliveryViewEntity[]> {
    const q = this.dataSource
      .getRepository(WebhookDeliveryViewEntity)
      .createQueryBuilder('d')
      .where('d.tenant_id = :tenantId', { tenantId });
    if (filter.jobId !== undefined) q.andWhere('d.job_id = :jobId', { jobId: filter.jobId });
    if (filter.endpointId !== undefined) q.andWhere('d.endpoint_id = :endpointId', { endpointId: filter.endpointId });
    if (filter.status !== undefined) q.andWhere('d.status = :status', { status: filter.status });
    if (cursor) q.andWhere('(d.created_at, d.id) < (:createdAt, :id)', { createdAt: cursor.createdAt, id: cursor.id });
    return q
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .limit(limit + 1)
      .getMany();
  }
}
