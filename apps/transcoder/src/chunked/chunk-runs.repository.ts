import { Injectable } from '@nestjs/common';
import type { VideoValidated } from '@tf/contracts';
import { DataSource, EntityManager } from 'typeorm';
import type { ChunkRunStanding, ChunkRunState, ChunkRunView } from './chunk-fan-in';

/** What a finished part leaves for the assembly (stored in chunk_parts.result). */
export type PartResult = Record<string, unknown>;

export interface ChunkRunRow {
  run_id: string;
  job_id: string;
  attempt: number;
  chunk_count: number;
  state: ChunkRunState;
  validated: VideoValidated;
}

/** Statements on chunked_runs / chunk_parts; the fan-in's writes run inside the caller's (inbox) transaction. */
@Injectable()
export class ChunkRunsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(tx: EntityManager, run: Omit<ChunkRunRow, 'state'>, parts: readonly string[]): Promise<void> {
    await tx.query(
      `INSERT INTO chunked_runs (run_id, job_id, attempt, chunk_count, validated) VALUES ($1, $2, $3, $4, $5::jsonb)`,
      [run.run_id, run.job_id, run.attempt, run.chunk_count, JSON.stringify(run.validated)],
    );
    await tx.query(`INSERT INTO chunk_parts (run_id, part) SELECT $1, unnest($2::text[])`, [run.run_id, parts]);
  }

  /** The run, its row locked until the transaction ends (the fan-in's decisions serialize on it); null if unknown. */
  async lock(tx: EntityManager, runId: string): Promise<(ChunkRunRow & ChunkRunView) | null> {
    const [run]: ChunkRunRow[] = await tx.query(`SELECT * FROM chunked_runs WHERE run_id = $1 FOR UPDATE`, [runId]);
    if (!run) return null;
    const pending: { part: string }[] = await tx.query(
      `SELECT part FROM chunk_parts WHERE run_id = $1 AND done_at IS NULL ORDER BY part`,
      [runId],
    );
    return { ...run, pendingParts: pending.map((p) => p.part) };
  }

  async finishPart(tx: EntityManager, runId: string, part: string, result: PartResult): Promise<void> {
    await tx.query(`UPDATE chunk_parts SET done_at = now(), result = $3::jsonb WHERE run_id = $1 AND part = $2`, [
      runId,
      part,
      JSON.stringify(result),
    ]);
  }

  async setState(tx: EntityManager, runId: string, state: ChunkRunState): Promise<void> {
    await tx.query(
      `UPDATE chunked_runs SET state = $2, assembled_at = CASE WHEN $2 = 'done' THEN now() ELSE assembled_at END WHERE run_id = $1`,
      [runId, state],
    );
  }

  /** The run's state and whether a later run of its job exists; null if unknown. */
  async standing(runId: string): Promise<ChunkRunStanding | null> {
    const [row]: ChunkRunStanding[] = await this.dataSource.query(
      `SELECT r.state, EXISTS (SELECT 1 FROM chunked_runs n WHERE n.job_id = r.job_id AND n.created_at > r.created_at)
         AS superseded
       FROM chunked_runs r WHERE r.run_id = $1`,
      [runId],
    );
    return row ?? null;
  }

  /** Marks an encoding run failed (a part given up on), outside any transaction; a run past encoding is left. */
  async fail(runId: string): Promise<void> {
    await this.dataSource.query(`UPDATE chunked_runs SET state = 'failed' WHERE run_id = $1 AND state = 'encoding'`, [
      runId,
    ]);
  }

  async find(runId: string): Promise<ChunkRunRow | null> {
    const [run]: ChunkRunRow[] = await this.dataSource.query(`SELECT * FROM chunked_runs WHERE run_id = $1`, [runId]);
    return run ?? null;
  }

  /** Every finished part's result, by part name. */
  async results(runId: string): Promise<Map<string, PartResult>> {
    const rows: { part: string; result: PartResult }[] = await this.dataSource.query(
      `SELECT part, result FROM chunk_parts WHERE run_id = $1 AND done_at IS NOT NULL`,
      [runId],
    );
    return new Map(rows.map((r) => [r.part, r.result]));
  }

  /** How many of the run's parts are finished, of how many. */
  async progress(runId: string): Promise<{ done: number; total: number }> {
    const [row]: { done: number; total: number }[] = await this.dataSource.query(
      `SELECT count(done_at)::int AS done, count(*)::int AS total FROM chunk_parts WHERE run_id = $1`,
      [runId],
    );
    return row ?? { done: 0, total: 0 };
  }
}
