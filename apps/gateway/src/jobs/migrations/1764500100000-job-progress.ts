import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The job's overall progress (0..100, weighted by the stages' expected cost: jobs/job-progress.ts), kept as
 * a high-water mark so that it never goes back. Rows of finished jobs need no backfill: a completed job
 * shows 100 whatever the column holds, the others are recomputed from the timeline at their next change.
 */
export class JobProgress1764500100000 implements MigrationInterface {
  name = 'JobProgress1764500100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs ADD COLUMN progress real NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs DROP COLUMN progress`);
  }
}
