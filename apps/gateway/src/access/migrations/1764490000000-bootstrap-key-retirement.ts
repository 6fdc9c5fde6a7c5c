import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * gateway.api_keys marks the keys the gateway made from TF_BOOTSTRAP_API_KEY (`bootstrap`), so that
 * one no longer configured can be retired at start-up, and when that happened (`retired_at`, set
 * together with revoked_at; a retired key configured again comes back, a key revoked through the API
 * does not). Keys made by earlier versions' bootstrap (name "bootstrap", tenant "default", platform
 * admin, not a rotation's successor) are marked too, so the old public default key gets retired.
 */
export class BootstrapKeyRetirement1764490000000 implements MigrationInterface {
  name = 'BootstrapKeyRetirement1764490000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys
      ADD COLUMN bootstrap boolean NOT NULL DEFAULT false,
      ADD COLUMN retired_at timestamptz NULL`);
    await q.query(`UPDATE api_keys SET bootstrap = true
      WHERE name = 'bootstrap' AND tenant_id = 'default' AND platform_admin
        AND id NOT IN (SELECT replaced_by FROM api_keys WHERE replaced_by IS NOT NULL)`);
    await q.query(`CREATE INDEX api_keys_bootstrap_idx ON api_keys (id) WHERE bootstrap`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX api_keys_bootstrap_idx`);
    await q.query(`ALTER TABLE api_keys DROP COLUMN bootstrap, DROP COLUMN retired_at`);
  }
}
