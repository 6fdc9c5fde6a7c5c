import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * notifier.webhook_endpoints: the notifier's projection of the tenant endpoints the gateway owns, fed
 * by WebhookEndpointChanged (whole state per event; the highest version wins). A deleted endpoint
 * keeps its row (deleted_at, secrets cleared) so a late, older event cannot bring it back.
 */
@Entity({ name: 'webhook_endpoints' })
@Index('webhook_endpoints_tenant_idx', ['tenantId'], { where: 'deleted_at IS NULL' })
export class WebhookEndpoint {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text')
  url!: string;

  /** Subscribed webhook event types (video.completed, job.failed). */
  @Column('text', { array: true })
  events!: string[];

  @Column('boolean')
  enabled!: boolean;

  /** Current signing secret; null once deleted. */
  @Column('text', { nullable: true })
  secret!: string | null;

  /** Signed with too, until previous_secret_expires_at (rotation grace window). */
  @Column('text', { name: 'previous_secret', nullable: true })
  previousSecret!: string | null;

  @Column('timestamptz', { name: 'previous_secret_expires_at', nullable: true })
  previousSecretExpiresAt!: Date | null;

  @Column('bigint')
  version!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Column('timestamptz', { name: 'deleted_at', nullable: true })
  deletedAt!: Date | null;
}
