import { MigrationInterface, QueryRunner } from 'typeorm';

/** gateway.jobs: the job state the tracker owns (see JobEntity for what each column holds). */
export class CreateJobs1764470000000 implements MigrationInterface {
  name = 'CreateJobs1764470000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE jobs (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('queued', 'processing', 'completed', 'failed')),
      spec jsonb NOT NULL,
      source jsonb NOT NULL,
      original_filename text NOT NULL,
      media jsonb NULL,
      renditions jsonb NULL,
      packaged jsonb NULL,
      transcript jsonb NULL,
      timeline jsonb NOT NULL DEFAULT '[]'::jsonb,
      error jsonb NULL,
      outputs jsonb NULL,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz NULL)`);
    await q.query(`CREATE INDEX jobs_tenant_created_idx ON jobs (tenant_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE jobs`);
  }
}
