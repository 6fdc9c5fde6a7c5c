import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { WebhookEventType, WebhookPayload } from './webhook-payload';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/**
 * One webhook to send: one pipeline event to one destination (the job's own webhook_url, or one of the
 * tenant's endpoints). Created with the inbox row of the event it reports, then worked by the delivery
 * loop. Unique per (event_id, destination), and one job.failed per (job_id, destination): expression
 * indexes, see migration 1764683000000.
 */
@Entity({ name: 'webhook_deliveries' })
export class WebhookDelivery {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'job_id' })
  jobId!: string;

  /** The reported pipeline event; also the TF-Event-Id / Idempotency-Key receivers dedupe on. */
  @Column('uuid', { name: 'event_id' })
  eventId!: string;

  /** spec.tenant_id of the job (null on rows older than tenant endpoints). */
  @Column('text', { name: 'tenant_id', nullable: true })
  tenantId!: string | null;

  /** The tenant endpoint delivered to; null for the job's own spec.webhook_url. */
  @Column('uuid', { name: 'endpoint_id', nullable: true })
  endpointId!: string | null;

  @Column('text', { name: 'event_type' })
  eventType!: WebhookEventType;

  @Column('text')
  url!: string;

  @Column('jsonb')
  payload!: WebhookPayload;

  @Column('text', { default: 'pending' })
  status!: DeliveryStatus;

  /** Attempts started, over every series (counted at claim time, so a crash mid-POST still uses one up). */
  @Column('int', { default: 0 })
  attempts!: number;

  /** Attempt series: 1, plus one per redelivery. Each series gets the full retry budget. */
  @Column('int', { default: 1 })
  series!: number;

  /** `attempts` when the current series started: the series' own attempts are attempts - series_base. */
  @Column('int', { name: 'series_base', default: 0 })
  seriesBase!: number;

  /** Bumped by every change reported in a WebhookDeliveryRecorded event. */
  @Column('int', { default: 0 })
  version!: number;

  /** When the row is next due; while an attempt runs, the end of its lease. */
  @Column('timestamptz', { name: 'next_attempt_at', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column('int', { name: 'last_status_code', nullable: true })
  lastStatusCode!: number | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** The trace of the job event the delivery was made for (its attempts' log lines carry it). */
  @Column('text', { name: 'trace_id', nullable: true })
  traceId!: string | null;

  @Column('timestamptz', { name: 'delivered_at', nullable: true })
  deliveredAt!: Date | null;
}
