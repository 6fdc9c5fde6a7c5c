import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenant webhook endpoints (a projection of the gateway's WebhookEndpointChanged events) and what
 * deliveries need for them: the tenant and endpoint of each delivery, attempt series (redeliveries)
 * and a version for the WebhookDeliveryRecorded events.
 */
export class WebhookEndpoints1764683000000 implements MigrationInterface {
  name = 'WebhookEndpoints1764683000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhook_endpoints (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      url text NOT NULL,
      events text[] NOT NULL,
      enabled boolean NOT NULL,
      secret text NULL,
      previous_secret text NULL,
      previous_secret_expires_at timestamptz NULL,
      version bigint NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz NULL)`);
    await q.query(
      `CREATE INDEX webhook_endpoints_tenant_idx ON webhook_endpoints (tenant_id) WHERE deleted_at IS NULL`,
    );

    await q.query(`ALTER TABLE webhook_deliveries
      ADD COLUMN tenant_id text NULL,
      ADD COLUMN endpoint_id uuid NULL,
      ADD COLUMN series int NOT NULL DEFAULT 1,
      ADD COLUMN series_base int NOT NULL DEFAULT 0,
      ADD COLUMN version int NOT NULL DEFAULT 0`);
    // One event now goes to several destinations: the job's own webhook_url ('job') and each endpoint.
    await q.query(`ALTER TABLE webhook_deliveries DROP CONSTRAINT IF EXISTS webhook_deliveries_event_id_key`);
    await q.query(
      `CREATE UNIQUE INDEX webhook_deliveries_event_target ON webhook_deliveries (event_id, (COALESCE(endpoint_id::text, 'job')))`,
    );
    await q.query(`DROP INDEX IF EXISTS webhook_deliveries_one_failure_per_job`);
    await q.query(
      `CREATE UNIQUE INDEX webhook_deliveries_one_failure_per_job ON webhook_deliveries (job_id, (COALESCE(endpoint_id::text, 'job'))) WHERE event_type = 'job.failed'`,
    );
    await q.query(`CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event_id)`);
    await q.query(`ALTER TABLE webhook_attempts ADD COLUMN series int NOT NULL DEFAULT 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_attempts DROP COLUMN series`);
    await q.query(`DROP INDEX webhook_deliveries_event_idx`);
    await q.query(`DROP INDEX webhook_deliveries_one_failure_per_job`);
    await q.query(
      `CREATE UNIQUE INDEX webhook_deliveries_one_failure_per_job ON webhook_deliveries (job_id) WHERE event_type = 'job.failed'`,
    );
    await q.query(`DROP INDEX webhook_deliveries_event_target`);
    await q.query(`ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_event_id_key UNIQUE (event_id)`);
    await q.query(
      `ALTER TABLE webhook_deliveries DROP COLUMN tenant_id, DROP COLUMN endpoint_id, DROP COLUMN series, DROP COLUMN series_base, DROP COLUMN version`,
    );
    await q.query(`DROP TABLE webhook_endpoints`);
  }
}
