import { MigrationInterface, QueryRunner } from 'typeorm';

/** gateway.webhook_deliveries: the API's delivery log, projected from WebhookDeliveryRecorded. */
export class CreateWebhookDeliveriesView1764483000001 implements MigrationInterface {
  name = 'CreateWebhookDeliveriesView1764483000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      endpoint_id uuid NULL,
      job_id text NOT NULL,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      url text NOT NULL,
      status text NOT NULL,
      attempts int NOT NULL,
      series int NOT NULL,
      last_status_code int NULL,
      last_error text NULL,
      next_attempt_at timestamptz NULL,
      created_at timestamptz NOT NULL,
      delivered_at timestamptz NULL,
      attempt_log jsonb NOT NULL DEFAULT '[]'::jsonb,
      version bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    // Newest first, keyset-paginated on (created_at, id).
    await q.query(
      `CREATE INDEX webhook_deliveries_tenant_created_idx ON webhook_deliveries (tenant_id, created_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX webhook_deliveries_tenant_job_idx ON webhook_deliveries (tenant_id, job_id)`);
    await q.query(`CREATE INDEX webhook_deliveries_tenant_endpoint_idx ON webhook_deliveries (tenant_id, endpoint_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_deliveries`);
  }
}
