import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Jobs API (list, cancel, retry, backfill): the `cancelled` status, `labels`, `attempt` (the job's
 * run: +1 per retry), `cancelled_at`, and the indexes the list and the backfill read through.
 * The list walks (created_at, id) newest first for one tenant, optionally for one status; the
 * labels filter is `labels @> $n` (GIN); the backfill picks failed jobs by creation time.
 */
export class JobsControl1764481000000 implements MigrationInterface {
  name = 'JobsControl1764481000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs DROP CONSTRAINT IF EXISTS jobs_status_check`);
    await q.query(
      `ALTER TABLE jobs ADD CONSTRAINT jobs_status_check CHECK (status IN ('queued', 'processing', 'completed', 'failed', 'cancelled'))`,
    );
    await q.query(`ALTER TABLE jobs
      ADD COLUMN labels text[] NOT NULL DEFAULT '{}',
      ADD COLUMN attempt int NOT NULL DEFAULT 1,
      ADD COLUMN cancelled_at timestamptz NULL`);
    // (tenant_id, created_at, id) also serves everything the (tenant_id, created_at) index did.
    await q.query(`CREATE INDEX jobs_tenant_created_id_idx ON jobs (tenant_id, created_at, id)`);
    await q.query(`DROP INDEX IF EXISTS jobs_tenant_created_idx`);
    await q.query(`CREATE INDEX jobs_tenant_status_created_id_idx ON jobs (tenant_id, status, created_at, id)`);
    await q.query(`CREATE INDEX jobs_labels_idx ON jobs USING gin (labels)`);
    await q.query(`CREATE INDEX jobs_failed_created_idx ON jobs (created_at) WHERE status = 'failed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX jobs_failed_created_idx`);
    await q.query(`DROP INDEX jobs_labels_idx`);
    await q.query(`DROP INDEX jobs_tenant_status_created_id_idx`);
    await q.query(`CREATE INDEX jobs_tenant_created_idx ON jobs (tenant_id, created_at)`);
    await q.query(`DROP INDEX jobs_tenant_created_id_idx`);
    await q.query(`ALTER TABLE jobs DROP COLUMN cancelled_at, DROP COLUMN attempt, DROP COLUMN labels`);
    await q.query(`ALTER TABLE jobs DROP CONSTRAINT jobs_status_check`);
    await q.query(
      `ALTER TABLE jobs ADD CONSTRAINT jobs_status_check CHECK (status IN ('queued', 'processing', 'completed', 'failed'))`,
    );
  }
}
