import { MigrationInterface, QueryRunner } from 'typeorm';

/** gateway.direct_uploads: uploads clients send straight to S3 (see DirectUploadEntity). */
export class CreateDirectUploads1764482000000 implements MigrationInterface {
  name = 'CreateDirectUploads1764482000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE direct_uploads (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      job_id uuid NOT NULL UNIQUE,
      status text NOT NULL CHECK (status IN ('pending', 'completed', 'aborted', 'failed')),
      mode text NOT NULL CHECK (mode IN ('single', 'multipart')),
      filename text NOT NULL,
      content_type text NOT NULL,
      bytes bigint NOT NULL CHECK (bytes > 0),
      spec jsonb NOT NULL,
      bucket text NOT NULL,
      key text NOT NULL,
      s3_upload_id text NULL,
      part_size bigint NULL,
      part_count int NULL,
      error jsonb NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz NULL,
      CHECK ((mode = 'multipart') = (s3_upload_id IS NOT NULL)))`);
    await q.query(`CREATE INDEX direct_uploads_tenant_created_idx ON direct_uploads (tenant_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE direct_uploads`);
  }
}
