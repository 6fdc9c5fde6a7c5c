import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runs that a later run of the same job replaced, left live by the code before run states: it treated a run as
 * superseded whenever a newer one existed and never wrote it. Today only the state counts, so without this their
 * parts still queued, parked on a retry topic or replayed from the DLQ would assemble (a second RenditionsReady)
 * or fail the newer attempt when given up on.
 */
export class SupersedeReplacedChunkedRuns1765100000000 implements MigrationInterface {
  name = 'SupersedeReplacedChunkedRuns1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE chunked_runs r SET state = 'superseded'
      WHERE state IN ('encoding', 'assembling')
        AND EXISTS (SELECT 1 FROM chunked_runs n WHERE n.job_id = r.job_id AND n.created_at > r.created_at)`);
  }

  async down(): Promise<void> {
    // Nothing to undo: the older code reads these runs as superseded too.
  }
}
