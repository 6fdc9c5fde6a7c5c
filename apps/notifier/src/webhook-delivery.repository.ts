import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { DeliveryStatus } from './webhook-delivery.entity';
import type { WebhookEventType, WebhookPayload } from './webhook-payload';
import type { AttemptDecision } from './webhook-retry';

/** Error of an attempt whose replica stopped before recording a result (crash, kill, lost DB). */
const ABANDONED = 'abandoned: no result was recorded before the lease expired';

/** NOTIFY channel that wakes every replica's delivery loop when a delivery is created. */
export const WEBHOOK_CHANNEL = 'tf_webhooks_notifier';

/** Attempts listed in a delivery snapshot (the latest ones). */
const ATTEMPT_LOG_LIMIT = 100;

/** Runs inside a repository transaction after its change, with the ids of the deliveries it changed. */
export type DeliveriesChanged = (tx: EntityManager, deliveryIds: string[]) => Promise<void>;

export interface NewDelivery {
  id: string;
  jobId: string;
  eventId: string;
  eventType: WebhookEventType;
  url: string;
  payload: WebhookPayload;
  /** spec.tenant_id of the job. */
  tenantId: string | null;
  /** The tenant endpoint it goes to; null for the job's own webhook_url. */
  endpointId: string | null;
  /** 'failed' records a delivery that can never be attempted (e.g. an unusable URL). */
  status?: DeliveryStatus;
  /** The trace of the job event it is made for. */
  traceId?: string | null;
  lastError?: string;
}

/**
 * A delivery claimed for one attempt. `attempt` numbers it over the whole delivery (its attempt row);
 * `seriesAttempt` within the current series (what the retry policy counts).
 */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  url: string;
  payload: WebhookPayload;
  endpointId: string | null;
  attempt: number;
  series: number;
  seriesAttempt: number;
  /** The trace of the job event the delivery was made for, when there was one. */
  traceId: string | null;
}

export interface AttemptRecord {
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
}

/** A delivery row as WebhookDeliveryRecorded reports it. */
export interface DeliverySnapshot {
  id: string;
  job_id: string;
  event_id: string;
  event_type: string;
  tenant_id: string | null;
  endpoint_id: string | null;
  url: string;
  status: DeliveryStatus;
  attempts: number;
  series: number;
  version: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date;
  created_at: Date;
  delivered_at: Date | null;
  attempt_log: Array<{
    attempt: number;
    series: number;
    started_at: Date;
    duration_ms: number | null;
    status_code: number | null;
    error: string | null;
  }>;
}

export type NewSeriesResult = 'started' | 'pending' | 'not_found';

/** All SQL of webhook_deliveries / webhook_attempts (the notifier's schema, via search_path). */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts in the caller's transaction (the handler's processOnce). Conflicts, on (event, destination)
   * or on the one-failure-per-job-and-destination index, are skipped rather than raised. Resolves
   * whether a row was created.
   */
  async create(tx: EntityManager, d: NewDelivery): Promise<boolean> {
    const inserted: unknown[] = await tx.query(
      `INSERT INTO webhook_deliveries (id, job_id, event_id, event_type, url, payload, status, last_error, tenant_id, endpoint_id, trace_id)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        d.id,
        d.jobId,
        d.eventId,
        d.eventType,
        d.url,
        JSON.stringify(d.payload),
        d.status ?? 'pending',
        d.lastError ?? null,
        d.tenantId,
        d.endpointId,
        d.traceId ?? null,
      ],
    );
    // Delivered at commit, so loops never wake for a row they cannot see yet.
    if (inserted.length > 0 && (d.status ?? 'pending') === 'pending') await this.notify(tx, d.id);
    return inserted.length > 0;
  }

  /**
   * Claims due rows for one attempt each: counts the attempt, pushes next_attempt_at to the end of a
   * lease and opens the attempt's row, in one short transaction committed before any POST. SKIP LOCKED
   * keeps replicas from claiming the same row; the lease keeps them off it while the POST runs, and lets
   * another replica retry it if this one dies. `maxAttempts` is per series (a redelivery starts afresh).
   */
  async claimDue(
    limit: number,
    leaseMs: number,
    maxAttempts: number,
    onExhausted?: DeliveriesChanged,
  ): Promise<ClaimedDelivery[]> {
    return this.dataSource.transaction(async (tx) => {
      // Rows whose final attempt never got a result (its replica died) are not retried any more.
      // TypeORM answers an UPDATE with [rows, rowCount].
      const [exhausted]: [Array<{ id: string }>, number] = await tx.query(
        `UPDATE webhook_deliveries SET status = 'failed', last_status_code = NULL, last_error = $2
          WHERE status = 'pending' AND attempts - series_base >= $1 AND next_attempt_at <= now() RETURNING id`,
        [maxAttempts, ABANDONED],
      );
      const [rows]: [
        Array<{
          id: string;
          event_id: string;
          url: string;
          payload: WebhookPayload;
          endpoint_id: string | null;
          attempts: number;
          series: number;
          series_base: number;
          trace_id: string | null;
        }>,
        number,
      ] = await tx.query(
        `WITH due AS (
           SELECT id FROM webhook_deliveries
            WHERE status = 'pending' AND attempts - series_base < $2 AND next_attempt_at <= now()
            ORDER BY next_attempt_at LIMIT $1
            FOR UPDATE SKIP LOCKED)
         UPDATE webhook_deliveries d
            SET attempts = d.attempts + 1, next_attempt_at = now() + $3::int * interval '1 millisecond'
           FROM due WHERE d.id = due.id
         RETURNING d.id, d.event_id, d.url, d.payload, d.endpoint_id, d.attempts, d.series, d.series_base, d.trace_id`,
        [limit, maxAttempts, leaseMs],
      );
      const ids = [...exhausted, ...rows].map((r) => r.id);
      if (ids.length > 0) {
        await tx.query(
          `UPDATE webhook_attempts SET error = $2 WHERE delivery_id = ANY($1::uuid[]) AND duration_ms IS NULL AND error IS NULL`,
          [ids, ABANDONED],
        );
      }
      if (rows.length > 0) {
        await tx.query(
          `INSERT INTO webhook_attempts (delivery_id, attempt, series, started_at)
           SELECT c.delivery_id, c.attempt, c.series, now() FROM unnest($1::uuid[], $2::int[], $3::int[]) AS c(delivery_id, attempt, series)`,
          [rows.map((r) => r.id), rows.map((r) => r.attempts), rows.map((r) => r.series)],
        );
      }
      if (exhausted.length > 0)
        await onExhausted?.(
          tx,
          exhausted.map((r) => r.id),
        );
      return rows.map((r) => ({
        id: r.id,
        eventId: r.event_id,
        url: r.url,
        payload: r.payload,
        endpointId: r.endpoint_id,
        attempt: r.attempts,
        series: r.series,
        seriesAttempt: r.attempts - r.series_base,
        traceId: r.trace_id,
      }));
    });
  }

  /**
   * Completes the attempt's row and applies its outcome to the delivery (`url`: where it was POSTed,
   * an endpoint's URL may have changed since the delivery was created). The delivery is only updated
   * while this attempt is still its latest claim: a replica whose lease ran out must not overwrite a
   * newer attempt's result (its own attempt row is still completed: that is what happened).
   * `onRecorded` runs in the same transaction.
   */
  async recordAttempt(
    d: ClaimedDelivery,
    record: AttemptRecord,
    decision: AttemptDecision,
    url: string,
    onRecorded?: DeliveriesChanged,
  ): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(
        `UPDATE webhook_attempts SET started_at = $3, duration_ms = $4, status_code = $5, error = $6
          WHERE delivery_id = $1 AND attempt = $2`,
        [d.id, d.attempt, record.startedAt, record.durationMs, record.statusCode, record.error],
      );
      await tx.query(
        `UPDATE webhook_deliveries
            SET status = $3::text,
                next_attempt_at = CASE WHEN $3::text = 'pending' THEN now() + $4::int * interval '1 millisecond' ELSE next_attempt_at END,
                delivered_at = CASE WHEN $3::text = 'delivered' THEN now() ELSE delivered_at END,
                last_status_code = $5, last_error = $6, url = $7
          WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
        [
          d.id,
          d.attempt,
          decision.status,
          decision.status === 'pending' ? decision.retryInMs : 0,
          record.statusCode,
          record.error,
          url,
        ],
      );
      await onRecorded?.(tx, [d.id]);
    });
  }

  /**
   * Redelivery: a delivered or failed delivery of `tenantId` becomes pending again, due now, with a new
   * series (and so a full retry budget). A pending one is left alone: it is being worked on already.
   */
  async startNewSeries(tx: EntityManager, deliveryId: string, tenantId: string): Promise<NewSeriesResult> {
    const [rows]: [Array<{ id: string }>, number] = await tx.query(
      `UPDATE webhook_deliveries
          SET status = 'pending', series = series + 1, series_base = attempts, next_attempt_at = now()
        WHERE id = $1 AND tenant_id = $2 AND status <> 'pending' RETURNING id`,
      [deliveryId, tenantId],
    );
    if (rows.length > 0) {
      await this.notify(tx, deliveryId);
      return 'started';
    }
    const existing: unknown[] = await tx.query(`SELECT 1 FROM webhook_deliveries WHERE id = $1 AND tenant_id = $2`, [
      deliveryId,
      tenantId,
    ]);
    return existing.length > 0 ? 'pending' : 'not_found';
  }

  /** Bumps the delivery's version and reads it with its latest attempts, in the caller's transaction. */
  async snapshot(tx: EntityManager, deliveryId: string): Promise<DeliverySnapshot | undefined> {
    const [rows]: [Array<Omit<DeliverySnapshot, 'attempt_log'>>, number] = await tx.query(
      `UPDATE webhook_deliveries SET version = version + 1 WHERE id = $1
       RETURNING id, job_id, event_id, event_type, tenant_id, endpoint_id, url, status, attempts, series, version,
                 last_status_code, last_error, next_attempt_at, created_at, delivered_at`,
      [deliveryId],
    );
    if (rows.length === 0) return undefined;
    const attempts: DeliverySnapshot['attempt_log'] = await tx.query(
      `SELECT attempt, series, started_at, duration_ms, status_code, error FROM (
         SELECT * FROM webhook_attempts WHERE delivery_id = $1 ORDER BY attempt DESC LIMIT $2) latest
        ORDER BY attempt`,
      [deliveryId, ATTEMPT_LOG_LIMIT],
    );
    return { ...rows[0], attempt_log: attempts };
  }

  private async notify(tx: EntityManager, deliveryId: string): Promise<void> {
    await tx.query(`SELECT pg_notify($1, $2)`, [WEBHOOK_CHANNEL, deliveryId]);
  }
}
