import type { JobOutput, JobSpec, MediaInfo, ObjectRef } from '@tf/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import {
  JobError,
  JobRecord,
  JobStatus,
  PackagedFact,
  RenditionsFact,
  TimelineEntry,
  TranscriptFact,
} from './job-record';

/**
 * gateway.jobs: one row per job; the tracker and the job control (cancel, retry) change it only
 * under SELECT ... FOR UPDATE. Indexes (migrations 1764470000000, 1764481000000): the job list's
 * keyset order per tenant, with and without a status filter; labels (GIN); failed jobs by creation
 * time (backfill).
 */
@Entity({ name: 'jobs' })
@Index('jobs_tenant_created_id_idx', ['tenantId', 'createdAt', 'id'])
@Index('jobs_tenant_status_created_id_idx', ['tenantId', 'status', 'createdAt', 'id'])
export class JobEntity implements JobRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text')
  status!: JobStatus;

  @Column('jsonb')
  spec!: JobSpec;

  @Column('jsonb')
  source!: ObjectRef;

  @Column('text', { name: 'original_filename' })
  originalFilename!: string;

  @Column('text', { array: true, default: () => "'{}'" })
  labels!: string[];

  @Column('int', { default: 1 })
  attempt!: number;

  @Column('jsonb', { nullable: true })
  media!: MediaInfo | null;

  @Column('jsonb', { nullable: true })
  renditions!: RenditionsFact | null;

  @Column('jsonb', { nullable: true })
  packaged!: PackagedFact | null;

  @Column('jsonb', { nullable: true })
  transcript!: TranscriptFact | null;

  @Column('jsonb')
  timeline!: TimelineEntry[];

  @Column('jsonb', { nullable: true })
  error!: JobError | null;

  @Column('jsonb', { nullable: true })
  outputs!: JobOutput[] | null;

  @Column('real', { default: 0 })
  progress!: number;

  @Column('int')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt!: Date | null;

  @Column('timestamptz', { name: 'cancelled_at', nullable: true })
  cancelledAt!: Date | null;
}
