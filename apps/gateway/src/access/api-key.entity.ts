import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** bigint columns come back from pg as strings; the limits are far below 2^53. */
const bigintNumber = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/**
 * gateway.api_keys: a key is only ever stored as its sha256; the prefix finds the row. A key works
 * while `revoked_at` is null or in the future (a rotated key's grace period).
 */
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

  /** May manage the keys of every tenant (the bootstrap key, or keys an operator made so). */
  @Column('boolean', { name: 'platform_admin', default: false })
  platformAdmin!: boolean;

  @Column('integer', { name: 'rate_limit_capacity', nullable: true })
  rateLimitCapacity!: number | null;

  @Column('double precision', { name: 'rate_limit_refill_per_s', nullable: true })
  rateLimitRefillPerS!: number | null;

  @Column('bigint', { name: 'quota_storage_bytes', nullable: true, transformer: bigintNumber })
  quotaStorageBytes!: number | null;

  @Column('integer', { name: 'quota_jobs_per_day', nullable: true })
  quotaJobsPerDay!: number | null;

  @Column('integer', { name: 'quota_concurrent_jobs', nullable: true })
  quotaConcurrentJobs!: number | null;

  @Column('bigint', { name: 'max_upload_bytes', nullable: true, transformer: bigintNumber })
  maxUploadBytes!: number | null;

  /** Made from TF_BOOTSTRAP_API_KEY: retired at start-up once the deployment configures another key (or none). */
  @Column('boolean', { default: false })
  bootstrap!: boolean;

  /** When a bootstrap key was retired (revoked_at was set then too); null for keys revoked through the API. */
  @Column('timestamptz', { name: 'retired_at', nullable: true })
  retiredAt!: Date | null;

  /** The key that replaced this one when it was rotated. */
  @Column('uuid', { name: 'replaced_by', nullable: true })
  replacedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** When the key stops (or stopped) working; null: active. */
  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
