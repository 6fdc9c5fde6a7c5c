import { MigrationInterface, QueryRunner } from 'typeorm';

/** gateway.webhook_endpoints: tenant webhook endpoints (see WebhookEndpointEntity). */
export class CreateWebhookEndpoints1764483000000 implements MigrationInterface {
  name = 'CreateWebhookEndpoints1764483000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhook_endpoints (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      url text NOT NULL,
      events text[] NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      secret text NULL,
      previous_secret text NULL,
      previous_secret_expires_at timestamptz NULL,
      secret_rotated_at timestamptz NULL,
      version bigint NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz NULL)`);
    await q.query(`CREATE INDEX webhook_endpoints_tenant_created_idx ON webhook_endpoints (tenant_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_endpoints`);
  }
}
