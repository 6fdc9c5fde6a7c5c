import { MigrationInterface, QueryRunner } from 'typeorm';

/** The packaging state of each job (see packaging.entity.ts). */
export class CreatePackagings1764480000000 implements MigrationInterface {
  name = 'CreatePackagings1764480000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE packagings (
      job_id text PRIMARY KEY,
      variants jsonb NULL,
      master_key text NULL,
      transcript_expected boolean NOT NULL DEFAULT false,
      subtitles jsonb NULL,
      has_subtitles boolean NOT NULL DEFAULT false,
      duration_s double precision NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE packagings`);
  }
}
