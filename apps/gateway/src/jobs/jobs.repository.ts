import { Injectable } from '@nestjs/common';
import { PreparedSelect, updateColumns } from '@tf/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { JobEntity } from './job.entity';
import { JobListQuery, ListCursor } from './job-list-query';
import { JobRecord } from './job-record';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids that cannot be a job (not a uuid: e.g. events of other test fixtures) are simply not found. */
export const isJobId = (id: string): boolean => UUID.test(id);

/** One page of a tenant's jobs, newest first, with each row's exact position for the next cursor. */
export interface JobPage {
  jobs: JobRecord[];
  /** `positions[i]` is the (created_at, id) of `jobs[i]`. */
  positions: ListCursor[];
  /** Whether more rows follow the last one. */
  more: boolean;
}

/** created_at in UTC to the microsecond: what a cursor must carry to compare exactly. */
const CURSOR_TIMESTAMP = `to_char(j.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** What the tracker and the job control (cancel, retry) may change on a job. */
const UPDATABLE_JOB_COLUMNS = [
  'status',
  'source',
  'media',
  'renditions',
  'packaged',
  'transcript',
  'timeline',
  'error',
  'outputs',
  'progress',
  'version',
  'updatedAt',
  'completedAt',
  'attempt',
  'cancelledAt',
] as const;

/** All reads and writes of gateway.jobs. */
@Injectable()
export class JobsRepository {
  /** The status read's query (GET /api/v1/jobs/:id, GraphQL job), prepared once per connection; built at first use (metadata needs an initialized DataSource). */
  private tenantJob?: PreparedSelect<JobEntity>;

  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: EntityManager, job: JobRecord): Promise<void> {
    await tx.insert(JobEntity, job);
  }

  /** A tenant's job; another tenant's job is as absent as an unknown one. */
  async findForTenant(id: string, tenantId: string): Promise<JobRecord | null> {
    if (!isJobId(id)) return null;
    this.tenantJob ??= new PreparedSelect(this.dataSource, JobEntity, 'tf_gateway_job_for_tenant', ['id', 'tenantId']);
    return this.tenantJob.one(id, tenantId);
  }

  /** Any tenant's job (operator paths: the caller checks the tenant). */
  async findById(id: string): Promise<JobRecord | null> {
    if (!isJobId(id)) return null;
    return this.dataSource.getRepository(JobEntity).findOne({ where: { id } });
  }

  /** Reads the job and locks its row until the transaction ends: tracker events of one job apply one at a time. */
  async lockForUpdate(tx: EntityManager, id: string): Promise<JobRecord | null> {
    if (!isJobId(id)) return null;
    return tx.getRepository(JobEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Writes everything the tracker and the job control (cancel, retry) may change. */
  async update(tx: EntityManager, job: JobRecord): Promise<void> {
    await updateColumns(tx, JobEntity, job, UPDATABLE_JOB_COLUMNS);
  }

  /**
   * A page of the tenant's jobs in (created_at, id) descending order, filtered; keyset pagination
   * from `query.cursor` (jobs_tenant_created_id_idx, or jobs_tenant_status_created_id_idx with a status).
   */
  async listForTenant(tenantId: string, query: JobListQuery): Promise<JobPage> {
    const qb = this.dataSource
      .getRepository(JobEntity)
      .createQueryBuilder('j')
      .addSelect(CURSOR_TIMESTAMP, 'cursor_ts')
      .where('j.tenant_id = :tenantId', { tenantId });
    if (query.status) qb.andWhere('j.status = :status', { status: query.status });
    if (query.createdAfter) qb.andWhere('j.created_at >= :createdAfter', { createdAfter: query.createdAfter });
    if (query.createdBefore) qb.andWhere('j.created_at < :createdBefore', { createdBefore: query.createdBefore });
    if (query.labels.length) qb.andWhere('j.labels @> CAST(:labels AS text[])', { labels: query.labels });
    if (query.cursor) {
      qb.andWhere('(j.created_at, j.id) < (CAST(:cursorTs AS timestamptz), CAST(:cursorId AS uuid))', {
        cursorTs: query.cursor.createdAt,
        cursorId: query.cursor.id,
      });
    }
    qb.orderBy('j.created_at', 'DESC')
      .addOrderBy('j.id', 'DESC')
      .limit(query.limit + 1);
    const { entities, raw } = await qb.getRawAndEntities<{ cursor_ts: string; j_id: string }>();
    const more = entities.length > query.limit;
    const jobs = entities.slice(0, query.limit);
    const tsById = new Map(raw.map((r) => [r.j_id, r.cursor_ts]));
    return { jobs, positions: jobs.map((j) => ({ createdAt: tsById.get(j.id)!, id: j.id })), more };
  }

  /** How many jobs there are in each status, all tenants together: one GROUP BY (the tf_jobs gauge, at scrape time). */
  async countByStatus(): Promise<Array<{ status: string; jobs: number }>> {
    return this.dataSource
      .getRepository(JobEntity)
      .createQueryBuilder('j')
      .select('j.status', 'status')
      .addSelect('count(*)::int', 'jobs')
      .groupBy('j.status')
      .getRawMany<{ status: string; jobs: number }>();
  }

  /** Ids of failed jobs created in [from, to), oldest first (jobs_failed_created_idx); optionally one tenant's. */
  async failedJobIds(range: { from: Date; to: Date; tenantId?: string | null }): Promise<string[]> {
    const qb = this.dataSource
      .getRepository(JobEntity)
      .createQueryBuilder('j')
      .select('j.id', 'id')
      .where(`j.status = 'failed'`)
      .andWhere('j.created_at >= :from AND j.created_at < :to', { from: range.from, to: range.to });
    if (range.tenantId) qb.andWhere('j.tenant_id = :tenantId', { tenantId: range.tenantId });
    const rows = await qb.orderBy('j.created_at', 'ASC').addOrderBy('j.id', 'ASC').getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  /**
   * Per stage, the jobs whose stage finished since `since`, completed or failed, as the timeline says now
   * (a failure since retried counts no more). Reads the jobs updated since then: `tflow ops status`.
   */
  async stageOutcomesSince(since: Date): Promise<StageOutcomes[]> {
    const rows: Array<{ stage: string; completed: number; failed: number }> = await this.dataSource.query(
      `SELECT e->>'stage' AS stage,
              count(*) FILTER (WHERE e->>'status' = 'completed')::int AS completed,
              count(*) FILTER (WHERE e->>'status' = 'failed')::int AS failed
         FROM jobs j CROSS JOIN LATERAL jsonb_array_elements(j.timeline) e
        WHERE j.updated_at >= $1 AND (e->>'finished_at')::timestamptz >= $1
        GROUP BY 1`,
      [since],
    );
    return rows;
  }

  /**
   * The newest `perStage` jobs failed at each stage since `since` and still failed there (a retried
   * one's entry is no longer failed), any tenant's, with the job's error.
   */
  async recentStageFailures(since: Date, perStage: number): Promise<StageFailure[]> {
    const rows: Array<{
      stage: string;
      job_id: string;
      tenant_id: string;
      error_code: string | null;
      error_message: string | null;
      failed_at: Date;
    }> = await this.dataSource.query(
      `SELECT stage, job_id, tenant_id, error_code, error_message, failed_at FROM (
         SELECT e->>'stage' AS stage, j.id AS job_id, j.tenant_id, j.error->>'code' AS error_code,
                j.error->>'message' AS error_message, (e->>'finished_at')::timestamptz AS failed_at,
                row_number() OVER (PARTITION BY e->>'stage' ORDER BY (e->>'finished_at')::timestamptz DESC, j.id) AS n
           FROM jobs j CROSS JOIN LATERAL jsonb_array_elements(j.timeline) e
          WHERE j.updated_at >= $1 AND e->>'status' = 'failed' AND (e->>'finished_at')::timestamptz >= $1) f
        WHERE n <= $2
        ORDER BY stage, failed_at DESC, job_id`,
      [since, perStage],
    );
    return rows.map((r) => ({
      stage: r.stage,
      jobId: r.job_id,
      tenantId: r.tenant_id,
      errorCode: r.error_code,
      errorMessage: r.error_message,
      failedAt: new Date(r.failed_at),
    }));
  }
}

/** A job a stage failed: which, whose, why and when. */
export interface StageFailure {
  stage: string;
  jobId: string;
  tenantId: string;
  /** The job's error (null only for a row failed before errors were recorded). */
  errorCode: string | null;
  errorMessage: string | null;
  failedAt: Date;
}

/** How many jobs' stage finished in a period, by outcome. */
export interface StageOutcomes {
  stage: string;
  completed: number;
  failed: number;
}
