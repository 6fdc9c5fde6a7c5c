import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fan-in of split transcodes (apps/transcoder/README.md, "Split and stitch"): one row per run (a
 * VideoValidated split into chunks) and one per part (each video chunk, the audio). A part's row is
 * finished in the transaction that consumes its message (inbox), under the run's row lock, so exactly
 * one part sees the run complete and requests the assembly.
 */
export class CreateChunkedRuns1765000000000 implements MigrationInterface {
  name = 'CreateChunkedRuns1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE chunked_runs (
      run_id uuid PRIMARY KEY,
      job_id text NOT NULL,
      attempt int NOT NULL,
      chunk_count int NOT NULL,
      state text NOT NULL DEFAULT 'encoding',
      validated jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      assembled_at timestamptz)`);
    await q.query(`CREATE INDEX chunked_runs_job_idx ON chunked_runs (job_id)`);
    await q.query(`CREATE TABLE chunk_parts (
      run_id uuid NOT NULL REFERENCES chunked_runs (run_id) ON DELETE CASCADE,
      part text NOT NULL,
      result jsonb,
      done_at timestamptz,
      PRIMARY KEY (run_id, part))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE chunk_parts`);
    await q.query(`DROP TABLE chunked_runs`);
  }
}
