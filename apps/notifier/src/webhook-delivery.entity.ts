import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { WebhookEventType, WebhookPayload } from './webhook-payload';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One webhook to send: created with the inbox row of the event it reports, then worked by the delivery loop. */
@Entity({ name: 'webhook_deliveries' })
@Index('webhook_deliveries_one_failure_per_job', ['jobId'], { unique: true, where: `event_type = 'job.failed'` })
export class WebhookDelivery {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'job_id' })
  jobId!: string;

  /** The reported pipeline event; also the TF-Event-Id / Idempotency-Key receivers dedupe on. */
  @Column('uuid', { name: 'event_id', unique: true })
  eventId!: string;

  @Column('text', { name: 'event_type' })
  eventType!: WebhookEventType;

  @Column('text')
  url!: string;

  @Column('jsonb')
  payload!: WebhookPayload;

  @Column('text', { default: 'pending' })
  status!: DeliveryStatus;

  /** Attempts started (counted at claim time, so a crash mid-POST still uses one up). */
  @Column('int', { default: 0 })
  attempts!: number;

  /** When the row is next due; while an attempt runs, the end of its lease. */
  @Column('timestamptz', { name: 'next_attempt_at', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column('int', { name: 'last_status_code', nullable: true })
  lastStatusCode!: number | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'delivered_at', nullable: true })
  deliveredAt!: Date | null;
}
