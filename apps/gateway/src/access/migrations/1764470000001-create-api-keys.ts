import { MigrationInterface, QueryRunner } from 'typeorm';

/** gateway.api_keys: hashed keys with their tenant and scopes. */
export class CreateApiKeys1764470000001 implements MigrationInterface {
  name = 'CreateApiKeys1764470000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE api_keys (
      id uuid PRIMARY KEY,
      prefix text NOT NULL,
      key_hash text NOT NULL UNIQUE,
      tenant_id text NOT NULL,
      scopes text[] NOT NULL,
      name text NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz NULL)`);
    await q.query(`CREATE INDEX api_keys_prefix_idx ON api_keys (prefix)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
  }
}
