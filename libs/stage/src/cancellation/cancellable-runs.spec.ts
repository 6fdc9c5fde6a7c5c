import { Logger } from '@nestjs/common';
import type { KafkaAvroContext } from '@tf/messaging';
import type { JobProgressReporter } from '../progress/job-progress.reporter';
import { StageTiming } from '../timing/stage-timing';
import { CancellableRuns } from './cancellable-runs';
import type { JobCancellations, RunOutcome } from './job-cancellations';

beforeAll(() => Logger.overrideLogger(false));

// The `started` reading: sent once the handler has its slot and really starts the work, before any
// reading of the work itself, and never for a message already applied.
describe('CancellableRuns: the started reading', () => {
  const steps: string[] = [];
  const progress = {
    started: jest.fn(async (jobId: string, attempt: number) => void steps.push(`started ${jobId} #${attempt}`)),
  };
  const cancellations = {
    run: async (_jobId: string, work: (signal: AbortSignal) => Promise<unknown>): Promise<RunOutcome<unknown>> => ({
      cancelled: false,
      value: await work(new AbortController().signal),
    }),
  };
  const runs = new CancellableRuns(
    cancellations as unknown as JobCancellations,
    new StageTiming({ stage: 'transcode' }),
    progress as unknown as JobProgressReporter,
  );
  const ctx = (applied: boolean) =>
    ({
      alreadyProcessed: async () => applied,
      processOnce: async (apply: (tx: unknown, outbox: unknown) => Promise<void>) => {
        await apply('tx', {});
        return true;
      },
      meta: { attempt: 2, headers: {} },
    }) as unknown as KafkaAvroContext;
  const work = {
    event: { job_id: 'job-1', occurred_at: Date.now() },
    name: 'transcode',
    run: async () => void steps.push('run'),
    discard: async () => 0,
    apply: async () => void steps.push('apply'),
  };

  beforeEach(() => {
    steps.length = 0;
    progress.started.mockClear();
  });

  it('reports the start before the work runs', async () => {
    await runs.runCancellable(ctx(false), work);
    expect(steps).toEqual(['started job-1 #2', 'run', 'apply']);
  });

  it('reports nothing for an event already applied', async () => {
    await runs.runCancellable(ctx(true), work);
    expect(progress.started).not.toHaveBeenCalled();
    expect(steps).toEqual([]);
  });
});
