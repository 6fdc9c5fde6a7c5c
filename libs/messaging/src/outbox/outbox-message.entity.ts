import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryColumn } from 'typeorm';

/**
 * One outgoing event, written in the same transaction as the state change that caused it.
 * Column names follow Debezium's outbox convention (aggregatetype, aggregateid, type, payload);
 * aggregateid is the Kafka key (the job id; `<job_id>:<index>` for a chunk of a split transcode).
 */
@Entity({ name: 'outbox' })
@Index('outbox_unsent_idx', ['seq'], { where: 'sent_at IS NULL' })
export class OutboxMessage {
  /** The event_id of the payload: consumers dedupe on it. */
  @PrimaryColumn('uuid')
  id!: string;

  /** Publication order within this service's outbox. */
  @Column('bigint')
  @Generated('increment')
  seq!: string;

  @Column('text')
  aggregatetype!: string;

  @Column('text')
  aggregateid!: string;

  /** Event type, e.g. VideoValidated; picks the Avro schema. */
  @Column('text')
  type!: string;

  @Column('text')
  topic!: string;

  @Column('jsonb')
  payload!: Record<string, unknown>;

  /** Trace context (traceparent) captured when the row was written. */
  @Column('jsonb', { default: () => "'{}'::jsonb" })
  headers!: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt!: Date | null;
}
