import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One POST of a delivery, successful, failed or abandoned: the audit trail support looks at. */
@Entity({ name: 'webhook_attempts' })
export class WebhookAttempt {
  @PrimaryColumn('uuid', { name: 'delivery_id' })
  deliveryId!: string;

  /** Numbered over the whole delivery (redeliveries continue the count). */
  @PrimaryColumn('int')
  attempt!: number;

  /** The delivery's series this attempt belongs to (1, then one per redelivery). */
  @Column('int', { default: 1 })
  series!: number;

  @Column('timestamptz', { name: 'started_at' })
  startedAt!: Date;

  /** Null while the attempt runs, or when it never finished (see error). */
  @Column('int', { name: 'duration_ms', nullable: true })
  durationMs!: number | null;

  /** Null when no response came (timeout, connection error). */
  @Column('int', { name: 'status_code', nullable: true })
  statusCode!: number | null;

  @Column('text', { nullable: true })
  error!: string | null;
}
