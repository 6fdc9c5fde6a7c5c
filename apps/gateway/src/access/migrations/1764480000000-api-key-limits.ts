import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * gateway.api_keys gains the platform-admin flag, per-key rate limit and quota overrides (null: the
 * deployment default) and the rotation link; gateway.upload_reservations holds the uploads in flight
 * that quotas already counted.
 */
export class ApiKeyLimits1764480000000 implements MigrationInterface {
  name = 'ApiKeyLimits1764480000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys
      ADD COLUMN platform_admin boolean NOT NULL DEFAULT false,
      ADD COLUMN rate_limit_capacity integer NULL CHECK (rate_limit_capacity > 0),
      ADD COLUMN rate_limit_refill_per_s double precision NULL CHECK (rate_limit_refill_per_s > 0),
      ADD COLUMN quota_storage_bytes bigint NULL CHECK (quota_storage_bytes >= 0),
      ADD COLUMN quota_jobs_per_day integer NULL CHECK (quota_jobs_per_day >= 0),
      ADD COLUMN quota_concurrent_jobs integer NULL CHECK (quota_concurrent_jobs >= 0),
      ADD COLUMN max_upload_bytes bigint NULL CHECK (max_upload_bytes > 0),
      ADD COLUMN replaced_by uuid NULL REFERENCES api_keys (id)`);
    await q.query(`CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at)`);
    await q.query(`CREATE TABLE upload_reservations (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      api_key_id uuid NOT NULL,
      bytes bigint NOT NULL CHECK (bytes >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX upload_reservations_tenant_idx ON upload_reservations (tenant_id, expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE upload_reservations`);
    await q.query(`DROP INDEX api_keys_tenant_idx`);
    await q.query(`ALTER TABLE api_keys DROP COLUMN platform_admin, DROP COLUMN rate_limit_capacity, DROP COLUMN rate_limit_refill_per_s,
      DROP COLUMN quota_storage_bytes, DROP COLUMN quota_jobs_per_day, DROP COLUMN quota_concurrent_jobs, DROP COLUMN max_upload_bytes, DROP COLUMN replaced_by`);
  }
}
