import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** gateway.api_keys: a key is only ever stored as its sha256; the prefix finds the row. */
@Entity({ name: 'api_keys' })
@Index('api_keys_prefix_idx', ['prefix'])
export class ApiKeyEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** First characters of the key, in clear: enough to find the row and to tell keys apart in lists. */
  @Column('text')
  prefix!: string;

  /** sha256 (hex) of the whole key. */
  @Column('text', { name: 'key_hash', unique: true })
  keyHash!: string;

  @Column('text', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text', { array: true })
  scopes!: string[];

  @Column('text', { nullable: true })
  name!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
