import { MigrationInterface, QueryRunner } from 'typeorm';

/** Webhook deliveries (one per pipeline event to notify) and every attempt made for them. */
export class CreateWebhookTables1764600000000 implements MigrationInterface {
  name = 'CreateWebhookTables1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY,
      job_id text NOT NULL,
      event_id uuid NOT NULL UNIQUE,
      event_type text NOT NULL CHECK (event_type IN ('video.completed', 'job.failed')),
      url text NOT NULL,
      payload jsonb NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts int NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_status_code int NULL,
      last_error text NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz NULL)`);
    // A job may fail in several stages (or be redelivered); the client hears about the first failure only.
    await q.query(
      `CREATE UNIQUE INDEX webhook_deliveries_one_failure_per_job ON webhook_deliveries (job_id) WHERE event_type = 'job.failed'`,
    );
    await q.query(
      `CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX webhook_deliveries_job_idx ON webhook_deliveries (job_id)`);
    // Written when an attempt is claimed and completed after the POST, so an attempt whose replica died
    // mid-POST is still on record (duration_ms and status_code stay null, error says it was abandoned).
    await q.query(`CREATE TABLE webhook_attempts (
      delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
      attempt int NOT NULL,
      started_at timestamptz NOT NULL,
      duration_ms int NULL,
      status_code int NULL,
      error text NULL,
      PRIMARY KEY (delivery_id, attempt))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_attempts`);
    await q.query(`DROP TABLE webhook_deliveries`);
  }
}
