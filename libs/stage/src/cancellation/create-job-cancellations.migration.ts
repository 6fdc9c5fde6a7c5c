import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * job_cancellations, in the schema of a stage that runs long jobs (transcoder, transcriber, hls):
 * the jobs cancelled so far, so that every instance of the stage skips or stops them, including
 * instances that were not listening when the cancel went out.
 */
export class CreateJobCancellations1764481000050 implements MigrationInterface {
  name = 'CreateJobCancellations1764481000050';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE job_cancellations (
      job_id text PRIMARY KEY,
      cancelled_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job_cancellations`);
  }
}
