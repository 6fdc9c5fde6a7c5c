import type { JobOutput, JobSpec, MediaInfo, ObjectRef } from '@tf/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { JobError, JobRecord, JobStatus, PackagedFact, RenditionsFact, TimelineEntry, TranscriptFact } from './job-record';

/** gateway.jobs: one row per job; the tracker changes it only under SELECT ... FOR UPDATE. */
@Entity({ name: 'jobs' })
@Index('jobs_tenant_created_idx', ['tenantId', 'createdAt'])
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

  @Column('int')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt!: Date | null;
}
