import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One attempt as the delivery log lists it. */
export interface AttemptLogEntry {
  number: number;
  series: number;
  started_at: string;
  duration_ms: number | null;
  status_code: number | null;
  error: string | null;
}

/**
 * gateway.webhook_deliveries: the delivery log the API shows, a projection of the notifier's
 * WebhookDeliveryRecorded events (whole state per event; the highest version wins). The notifier
 * owns the deliveries; nothing here is written by the API.
 */
@Entity({ name: 'webhook_deliveries' })
@Index('webhook_deliveries_tenant_created_idx', ['tenantId', 'createdAt', 'id'])
@Index('webhook_deliveries_tenant_job_idx', ['tenantId', 'jobId'])
@Index('webhook_deliveries_tenant_endpoint_idx', ['tenantId', 'endpointId'])
export class WebhookDeliveryViewEntity {
  /** The notifier's delivery id. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'tenant_id' })
  tenantId!: string;

  @Column('uuid', { name: 'endpoint_id', nullable: true })
  endpointId!: string | null;

  @Column('text', { name: 'job_id' })
  jobId!: string;

  /** TF-Event-Id of every attempt. */
  @Column('uuid', { name: 'event_id' })
  eventId!: string;

  @Column('text', { name: 'event_type' })
  eventType!: string;

  @Column('text')
  url!: string;

  @Column('text')
  status!: string;

  @Column('int')
  attempts!: number;

  @Column('int')
  series!: number;

  @Column('int', { name: 'last_status_code', nullable: true })
  lastStatusCode!: number | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @Column('timestamptz', { name: 'next_attempt_at', nullable: true })
  nextAttemptAt!: Date | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'delivered_at', nullable: true })
  deliveredAt!: Date | null;

  @Column('jsonb', { name: 'attempt_log' })
  attemptLog!: AttemptLogEntry[];

  @Column('bigint')
  version!: string;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
