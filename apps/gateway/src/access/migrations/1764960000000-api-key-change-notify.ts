import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change of a row of gateway.api_keys (revoked, rotated, retired, limits, deleted), whoever makes
 * it (the admin API of any replica, tflow, SQL by hand), NOTIFYs its id on `tf_api_key_changes` when it
 * commits: each gateway replica drops that key from its in-process cache of authenticated keys.
 */
export class ApiKeyChangeNotify1764960000000 implements MigrationInterface {
  name = 'ApiKeyChangeNotify1764960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION api_keys_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('tf_api_key_changes', OLD.id::text);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER api_keys_notify_change AFTER UPDATE OR DELETE ON api_keys
      FOR EACH ROW EXECUTE FUNCTION api_keys_notify_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER api_keys_notify_change ON api_keys`);
    await q.query(`DROP FUNCTION api_keys_notify_change()`);
  }
}
