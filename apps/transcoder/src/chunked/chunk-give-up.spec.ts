import { Logger } from '@nestjs/common';
import type { GivenUpMessage } from '@tf/messaging';
import { metricsRegistry } from '@tf/observability';
import type { EntityManager } from 'typeorm';
import type { ChunkRunState } from './chunk-fan-in';
import { settleChunkGiveUp } from './chunk-give-up';

beforeAll(() => Logger.overrideLogger(false));

/** Postgres is the boundary faked here: one chunked_runs row, the statements the settlement sends recorded. */
function fakeTx(state: ChunkRunState | null) {
  const row = state ? { run_id: 'run-1', job_id: 'job-1', state } : null;
  const statements: string[] = [];
  const tx = {
    connection: {},
    query: async (sql: string, params: unknown[]) => {
      statements.push(sql.split(/\s+/).slice(0, 3).join(' '));
      if (sql.startsWith('SELECT * FROM chunked_runs')) return row && params[0] === row.run_id ? [{ ...row }] : [];
      if (sql.startsWith('SELECT part')) return [{ part: 'video:0001' }];
      if (sql.startsWith('UPDATE chunked_runs') && row) row.state = params[1] as ChunkRunState;
      return [];
    },
  } as unknown as EntityManager;
  return { tx, row, statements };
}

const part = (topic = 'tf.video.chunks', event: object | undefined = { job_id: 'job-1', run_id: 'run-1' }) =>
  ({ topic, key: 'job-1:1', event, attempts: 5, error: new Error('ffmpeg exited with code 1') }) as GivenUpMessage;

const failedRuns = async () =>
  (await metricsRegistry.getSingleMetric('tf_transcode_chunk_runs_total')!.get()).values.find(
    (v) => v.labels.outcome === 'failed',
  )?.value ?? 0;

describe('settleChunkGiveUp (a part of a split transcode given up on)', () => {
  it.each(['encoding', 'assembling'] as const)(
    'fails a %s run under its row lock and lets the JobFailed go out, counting the run once committed',
    async (state) => {
      const { tx, row, statements } = fakeTx(state);
      const before = await failedRuns();
      const settlement = await settleChunkGiveUp(tx, part('tf.video.chunks.high'));
      expect(settlement.emit).toBe(true);
      expect(row!.state).toBe('failed');
      expect(statements[0]).toBe('SELECT * FROM'); // … FOR UPDATE: the fan-in's lock
      expect(await failedRuns()).toBe(before);
      settlement.committed!();
      expect(await failedRuns()).toBe(before + 1);
    },
  );

  it.each(['failed', 'superseded', 'done'] as const)(
    'emits no second JobFailed for a part of a run that is already %s',
    async (state) => {
      const { tx, row } = fakeTx(state);
      expect(await settleChunkGiveUp(tx, part())).toEqual({ emit: false });
      expect(row!.state).toBe(state);
    },
  );

  it('still fails the job for a part whose run is unknown (never recorded), and marks nothing', async () => {
    const { tx, statements } = fakeTx(null);
    const settlement = await settleChunkGiveUp(tx, part());
    expect(settlement.emit).toBe(true);
    expect(settlement.committed).toBeUndefined();
    expect(statements.some((s) => s.startsWith('UPDATE'))).toBe(false);
  });

  it('leaves other messages to the stage’s JobFailed as before (a VideoValidated, a part that was not decoded)', async () => {
    const { tx, statements } = fakeTx('encoding');
    expect(await settleChunkGiveUp(tx, part('tf.video.validated', { job_id: 'job-1' }))).toEqual({ emit: true });
    expect(await settleChunkGiveUp(tx, { ...part(), event: undefined })).toEqual({ emit: true });
    expect(statements).toEqual([]);
  });
});
