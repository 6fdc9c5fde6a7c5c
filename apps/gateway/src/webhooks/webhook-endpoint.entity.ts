import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * gateway.webhook_endpoints: a tenant's registered endpoints, owned by the gateway's API. Every change
 * bumps `version` and goes to the notifier as a WebhookEndpointChanged (whole state) in the same
 * transaction. Deleting keeps the row (deleted_at, secrets cleared) so deliveries can still name it.
 */
@Entity({ name: 'webhook_endpoints' })
@Index('webhook_endpoints_tenant_created_idx', ['tenantId', 'createdAt'])
export class WebhookEndpointEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text')
  url!: string;

  @Column('text', { array: true })
  events!: string[];

  @Column('boolean')
  enabled!: boolean;

  /** The signing secret (whsec_...); shown once, when created or rotated. Null once deleted. */
  @Column('text', { nullable: true })
  secret!: string | null;

  /** The secret the last rotation replaced; still signs until previous_secret_expires_at. */
  @Column('text', { name: 'previous_secret', nullable: true })
  previousSecret!: string | null;

  @Column('timestamptz', { name: 'previous_secret_expires_at', nullable: true })
  previousSecretExpiresAt!: Date | null;

  @Column('timestamptz', { name: 'secret_rotated_at', nullable: true })
  secretRotatedAt!: Date | null;

  @Column('bigint')
  version!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Column('timestamptz', { name: 'deleted_at', nullable: true })
  deletedAt!: Date | null;
}
