import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { DeliveryStatus } from './webhook-delivery.entity';
import type { WebhookEventType, WebhookPayload } from './webhook-payload';
import type { AttemptDecision } from './webhook-retry';

/** Error of an attempt whose replica stopped before recording a result (crash, kill, lost DB). */
const ABANDONED = 'abandoned: no result was recorded before the lease expired';

/** NOTIFY channel that wakes every replica's delivery loop when a delivery is created. */
export const WEBHOOK_CHANNEL = 'tf_webhooks_notifier';

export interface NewDelivery {
  id: string;
  jobId: string;
  eventId: string;
  eventType: WebhookEventType;
  url: string;
  payload: WebhookPayload;
  /** 'failed' records a delivery that can never be attempted (e.g. an unusable URL). */
  status?: DeliveryStatus;
  lastError?: string;
}

/** A delivery claimed for one attempt; `attempt` is this attempt's number (1-based). */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  url: string;
  payload: WebhookPayload;
  attempt: number;
}

export interface AttemptRecord {
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
}

/** All SQL of webhook_deliveries / webhook_attempts (the notifier's schema, via search_path). */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts in the caller's transaction (the handler's processOnce). Conflicts, on event_id or on the
   * one-failure-per-job index, are skipped rather than raised. Resolves whether a row was created.
   */
  async create(tx: EntityManager, d: NewDelivery): Promise<boolean> {
    const inserted: unknown[] = await tx.query(
      `INSERT INTO webhook_deliveries (id, job_id, event_id, event_type, url, payload, status, last_error)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
       ON CONFLICT DO NOTHING RETURNING id`,
      [d.id, d.jobId, d.eventId, d.eventType, d.url, JSON.stringify(d.payload), d.status ?? 'pending', d.lastError ?? null],
    );
    // Delivered at commit, so loops never wake for a row they cannot see yet.
    if (inserted.length > 0 && (d.status ?? 'pending') === 'pending') await tx.query(`SELECT pg_notify($1, $2)`, [WEBHOOK_CHANNEL, d.id]);
    return inserted.length > 0;
  }

  /**
   * Claims due rows for one attempt each: counts the attempt, pushes next_attempt_at to the end of a
   * lease and opens the attempt's row, in one short transaction committed before any POST. SKIP LOCKED
   * keeps replicas from claiming the same row; the lease keeps them off it while the POST runs, and lets
   * another replica retry it if this one dies.
   */
  async claimDue(limit: number, leaseMs: number, maxAttempts: number): Promise<ClaimedDelivery[]> {
    return this.dataSource.transaction(async (tx) => {
      // Rows whose final attempt never got a result (its replica died) are not retried any more.
      // TypeORM answers an UPDATE with [rows, rowCount].
      const [exhausted]: [Array<{ id: string }>, number] = await tx.query(
        `UPDATE webhook_deliveries SET status = 'failed', last_status_code = NULL, last_error = $2
          WHERE status = 'pending' AND attempts >= $1 AND next_attempt_at <= now() RETURNING id`,
        [maxAttempts, ABANDONED],
      );
      const [rows]: [Array<{ id: string; event_id: string; url: string; payload: WebhookPayload; attempts: number }>, number] = await tx.query(
        `WITH due AS (
           SELECT id FROM webhook_deliveries
            WHERE status = 'pending' AND attempts < $2 AND next_attempt_at <= now()
            ORDER BY next_attempt_at LIMIT $1
            FOR UPDATE SKIP LOCKED)
         UPDATE webhook_deliveries d
            SET attempts = d.attempts + 1, next_attempt_at = now() + $3::int * interval '1 millisecond'
           FROM due WHERE d.id = due.id
         RETURNING d.id, d.event_id, d.url, d.payload, d.attempts`,
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
          `INSERT INTO webhook_attempts (delivery_id, attempt, started_at)
           SELECT c.delivery_id, c.attempt, now() FROM unnest($1::uuid[], $2::int[]) AS c(delivery_id, attempt)`,
          [rows.map((r) => r.id), rows.map((r) => r.attempts)],
        );
      }
      return rows.map((r) => ({ id: r.id, eventId: r.event_id, url: r.url, payload: r.payload, attempt: r.attempts }));
    });
  }

  /**
   * Completes the attempt's row and applies its outcome to the delivery. The delivery is only updated
   * while this attempt is still its latest claim: a replica whose lease ran out must not overwrite a
   * newer attempt's result (its own attempt row is still completed: that is what happened).
   */
  async recordAttempt(d: ClaimedDelivery, record: AttemptRecord, decision: AttemptDecision): Promise<void> {
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
                last_status_code = $5, last_error = $6
          WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
        [d.id, d.attempt, decision.status, decision.status === 'pending' ? decision.retryInMs : 0, record.statusCode, record.error],
      );
    });
  }
}
