import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An event this consumer group has already applied. Written in the handler's own transaction. */
@Entity({ name: 'inbox' })
export class InboxEntry {
  @PrimaryColumn('text', { name: 'consumer_group' })
  consumerGroup!: string;

  @PrimaryColumn('uuid', { name: 'event_id' })
  eventId!: string;

  @CreateDateColumn({ name: 'processed_at', type: 'timestamptz' })
  processedAt!: Date;
}
