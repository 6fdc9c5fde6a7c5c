import type { JobSpec } from '@tf/contracts';
import { Column, Entity, Index, PrimaryColumn, ValueTransformer } from 'typeorm';
import type { UploadMode } from './upload-plan';
import { DirectUploadRecord, DirectUploadStatus } from './direct-upload-record';

/** bigint columns come back from pg as strings; sizes stay far below 2^53. */
const bigintNumber: ValueTransformer = {
  to: (v: number | null) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/** gateway.direct_uploads: a client-driven upload until its complete call turns it into a job. */
@Entity({ name: 'direct_uploads' })
@Index('direct_uploads_tenant_created_idx', ['tenantId', 'createdAt'])
export class DirectUploadEntity implements DirectUploadRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'tenant_id' })
  tenantId!: string;

  @Column('uuid', { name: 'job_id', unique: true })
  jobId!: string;

  @Column('text')
  status!: DirectUploadStatus;

  @Column('text')
  mode!: UploadMode;

  @Column('text')
  filename!: string;

  @Column('text', { name: 'content_type' })
  contentType!: string;

  @Column('bigint', { transformer: bigintNumber })
  bytes!: number;

  @Column('jsonb')
  spec!: JobSpec;

  @Column('text', { array: true, default: () => "'{}'" })
  labels!: string[];

  @Column('text')
  bucket!: string;

  @Column('text')
  key!: string;

  @Column('text', { name: 's3_upload_id', nullable: true })
  s3UploadId!: string | null;

  @Column('bigint', { name: 'part_size', nullable: true, transformer: bigintNumber })
  partSize!: number | null;

  @Column('int', { name: 'part_count', nullable: true })
  partCount!: number | null;

  @Column('jsonb', { nullable: true })
  error!: { code: string; message: string } | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt!: Date | null;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;
}
