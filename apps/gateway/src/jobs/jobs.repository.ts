import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { JobEntity } from './job.entity';
import { JobRecord } from './job-record';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids that cannot be a job (not a uuid: e.g. events of other test fixtures) are simply not found. */
export const isJobId = (id: string): boolean => UUID.test(id);

/** All reads and writes of gateway.jobs. */
@Injectable()
export class JobsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: EntityManager, job: JobRecord): Promise<void> {
    await tx.insert(JobEntity, job);
  }

  /** A tenant's job; another tenant's job is as absent as an unknown one. */
  async findForTenant(id: string, tenantId: string): Promise<JobRecord | null> {
    if (!isJobId(id)) return null;
    return this.dataSource.getRepository(JobEntity).findOne({ where: { id, tenantId } });
  }

  /** Reads the job and locks its row until the transaction ends: tracker events of one job apply one at a time. */
  async lockForUpdate(tx: EntityManager, id: string): Promise<JobRecord | null> {
    if (!isJobId(id)) return null;
    return tx.getRepository(JobEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Writes everything the tracker may change. */
  async update(tx: EntityManager, job: JobRecord): Promise<void> {
    const { status, media, renditions, packaged, transcript, timeline, error, outputs, version, updatedAt, completedAt } = job;
    await tx.update(JobEntity, { id: job.id }, { status, media, renditions, packaged, transcript, timeline, error, outputs, version, updatedAt, completedAt } as never);
  }
}
