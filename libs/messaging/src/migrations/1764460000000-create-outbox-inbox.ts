import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox and inbox tables, created in the service's own schema (search_path). */
export class CreateOutboxInbox1764460000000 implements MigrationInterface {
  name = 'CreateOutboxInbox1764460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE outbox (
      id uuid PRIMARY KEY,
      seq bigserial NOT NULL,
      aggregatetype text NOT NULL,
      aggregateid text NOT NULL,
      type text NOT NULL,
      topic text NOT NULL,
      payload jsonb NOT NULL,
      headers jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz NULL)`);
    await q.query(`CREATE INDEX outbox_unsent_idx ON outbox (seq) WHERE sent_at IS NULL`);
    await q.query(`CREATE TABLE inbox (
      consumer_group text NOT NULL,
      event_id uuid NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer_group, event_id))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbox`);
    await q.query(`DROP TABLE outbox`);
  }
}
