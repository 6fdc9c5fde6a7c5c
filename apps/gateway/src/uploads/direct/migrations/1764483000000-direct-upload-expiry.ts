import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Direct uploads expire: `expires_at` (set at creation; rows from before get created_at + 24 h), the
 * `expired` status, and a partial index that lets the sweeper find due pending uploads cheaply.
 */
export class DirectUploadExpiry1764483000000 implements MigrationInterface {
  name = 'DirectUploadExpiry1764483000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE direct_uploads ADD COLUMN expires_at timestamptz NULL`);
    await q.query(`UPDATE direct_uploads SET expires_at = created_at + interval '24 hours'`);
    await q.query(`ALTER TABLE direct_uploads ALTER COLUMN expires_at SET NOT NULL`);
    await q.query(`ALTER TABLE direct_uploads DROP CONSTRAINT direct_uploads_status_check`);
    await q.query(
      `ALTER TABLE direct_uploads ADD CONSTRAINT direct_uploads_status_check CHECK (status IN ('pending', 'completed', 'aborted', 'failed', 'expired'))`,
    );
    await q.query(
      `CREATE INDEX direct_uploads_pending_expiry_idx ON direct_uploads (expires_at) WHERE status = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX direct_uploads_pending_expiry_idx`);
    await q.query(`UPDATE direct_uploads SET status = 'aborted' WHERE status = 'expired'`);
    await q.query(`ALTER TABLE direct_uploads DROP CONSTRAINT direct_uploads_status_check`);
    await q.query(
      `ALTER TABLE direct_uploads ADD CONSTRAINT direct_uploads_status_check CHECK (status IN ('pending', 'completed', 'aborted', 'failed'))`,
    );
    await q.query(`ALTER TABLE direct_uploads DROP COLUMN expires_at`);
  }
}
