import { Injectable } from '@nestjs/common';
import type { VideoValidated } from '@tf/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { type ChunkRunState, type ChunkRunView, LIVE_RUN_STATES } from './chunk-fan-in';

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

  /** The run's state; null if unknown. */
  async state(runId: string): Promise<ChunkRunState | null> {
    const [row]: { state: ChunkRunState }[] = await this.dataSource.query(
      `SELECT state FROM chunked_runs WHERE run_id = $1`,
      [runId],
    );
    return row?.state ?? null;
  }

  /**
   * Marks every live run of the job's earlier attempts superseded (a newer transcode of the job started: split
   * again, or in one pass), each under its row lock, so that none of their parts records, assembles or fails the job
   * any more. Only earlier attempts: an old VideoValidated handled late (a consumer that lost its partitions in a
   * rebalance) must not supersede a newer attempt's run. Returns how many it superseded.
   */
  async supersedeEarlierAttempts(jobId: string, runId: string, attempt: number): Promise<number> {
    // TypeORM answers an UPDATE with [rows, affected]. `validated` is the run's VideoValidated (its job attempt).
    const [, affected]: [unknown[], number] = await this.dataSource.query(
      `UPDATE chunked_runs SET state = 'superseded'
        WHERE job_id = $1 AND run_id <> $2 AND state = ANY($3::text[])
          AND COALESCE((validated->>'attempt')::int, 0) < $4`,
      [jobId, runId, LIVE_RUN_STATES, attempt],
    );
    return affected;
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
