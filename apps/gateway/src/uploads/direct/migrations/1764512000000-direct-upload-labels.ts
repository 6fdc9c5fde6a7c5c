import { MigrationInterface, QueryRunner } from 'typeorm';

/** Direct uploads carry the job's labels (as the form upload's `labels` field does): the job gets them at complete. */
export class DirectUploadLabels1764512000000 implements MigrationInterface {
  name = 'DirectUploadLabels1764512000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE direct_uploads ADD COLUMN labels text[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE direct_uploads DROP COLUMN labels`);
  }
}
