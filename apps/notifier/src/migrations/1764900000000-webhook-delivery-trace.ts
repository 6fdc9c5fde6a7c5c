import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace of the job event a delivery was made for: its attempts run later, in the delivery loop,
 * outside any message handler, and their log lines still carry the job's trace_id.
 */
export class WebhookDeliveryTrace1764900000000 implements MigrationInterface {
  name = 'WebhookDeliveryTrace1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_deliveries ADD COLUMN trace_id text NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_deliveries DROP COLUMN trace_id`);
  }
}
