import { Logger } from '@nestjs/common';
import { type KafkaAvroContext, RetryHeaders } from '@tf/messaging';
import type { Histogram } from 'prom-client';
import { CancellableRuns } from '../cancellation/cancellable-runs';
import type { JobCancellations, RunOutcome } from '../cancellation/job-cancellations';
import type { JobProgressReporter } from '../progress/job-progress.reporter';
import { stageDuration, stageQueueWait } from './stage-metrics';
import { StageTiming } from './stage-timing';

beforeAll(() => Logger.overrideLogger(false));
beforeEach(() => {
  stageDuration.reset();
  stageQueueWait.reset();
});

/** A histogram's count and sum for exactly these labels, as /metrics would show them. */
async function observed(histogram: Histogram<string>, labels: Record<string, string>) {
  const { name, values } = await histogram.get();
  const find = (suffix: string) =>
    values.find(
      (v) => v.metricName === `${name}${suffix}` && Object.entries(labels).every(([k, l]) => v.labels[k] === l),
    )?.value ?? 0;
  return { count: find('_count'), sum: find('_sum') };
}

/** A clock that reads the given instants one after the other (ms). */
const clockOf = (...instants: number[]) => {
  const queue = [...instants];
  return () => queue.shift() ?? Number.NaN;
};

const ctxOf = (attempt = 1, headers: Record<string, Buffer> = {}) =>
  ({
    meta: { attempt, headers },
    alreadyProcessed: jest.fn().mockResolvedValue(false),
    processOnce: jest.fn(async (apply: (tx: unknown, outbox: unknown) => Promise<void>) => {
      await apply('tx', 'outbox');
      return true;
    }),
    signal: new AbortController().signal,
  }) as unknown as KafkaAvroContext & { alreadyProcessed: jest.Mock; processOnce: jest.Mock };

const upstream = { job_id: 'job-1', occurred_at: 10_000 };

describe('StageTiming', () => {
  it('observes the queue wait (occurred_at → start) and the duration (start → output written), labelled by stage', async () => {
    const timing = new StageTiming({ stage: 'validate' }, clockOf(13_000, 15_500));
    await expect(timing.measure(ctxOf(), upstream, async () => 'written')).resolves.toBe('written');
    expect(await observed(stageQueueWait, { stage: 'validate' })).toEqual({ count: 1, sum: 3 });
    expect(await observed(stageDuration, { stage: 'validate', outcome: 'ok' })).toEqual({ count: 1, sum: 2.5 });
    expect(await observed(stageDuration, { stage: 'validate', outcome: 'failed' })).toEqual({ count: 0, sum: 0 });
  });

  it('counts an attempt that throws as failed, and rethrows', async () => {
    const timing = new StageTiming({ stage: 'package' }, clockOf(11_000, 11_250));
    const boom = new Error('S3 is down');
    await expect(timing.measure(ctxOf(), upstream, () => Promise.reject(boom))).rejects.toBe(boom);
    expect(await observed(stageDuration, { stage: 'package', outcome: 'failed' })).toEqual({ count: 1, sum: 0.25 });
    expect(await observed(stageDuration, { stage: 'package', outcome: 'ok' })).toEqual({ count: 0, sum: 0 });
  });

  it('observes no queue wait for a retried attempt, nor for a message back from a durable retry topic', async () => {
    const timing = new StageTiming({ stage: 'transcode' }, clockOf(20_000, 21_000, 40_000, 41_000));
    await timing.measure(ctxOf(2), upstream, async () => undefined);
    const parked = {
      [RetryHeaders.originalTopic]: Buffer.from('tf.video.validated.normal'),
      [RetryHeaders.level]: Buffer.from('1'),
      [RetryHeaders.dueAt]: Buffer.from('39000'),
    };
    await timing.measure(ctxOf(1, parked), upstream, async () => undefined);
    expect(await observed(stageQueueWait, { stage: 'transcode' })).toEqual({ count: 0, sum: 0 });
    expect(await observed(stageDuration, { stage: 'transcode', outcome: 'ok' })).toEqual({ count: 2, sum: 2 });
  });

  it('never observes a negative wait (a clock behind the upstream’s) nor a wait without occurred_at', async () => {
    const timing = new StageTiming({ stage: 'transcribe' }, clockOf(9_000, 9_100, 9_200, 9_300));
    await timing.measure(ctxOf(), upstream, async () => undefined);
    await timing.measure(ctxOf(), { occurred_at: undefined as unknown as number }, async () => undefined);
    expect(await observed(stageQueueWait, { stage: 'transcribe' })).toEqual({ count: 1, sum: 0 });
  });
});

describe('CancellableRuns, timed', () => {
  const runsWith = (clock: () => number, outcome: (value: string) => RunOutcome<string>) => {
    const cancellations = {
      run: async (_jobId: string, work: (signal: AbortSignal) => Promise<string>) =>
        outcome(await work(new AbortController().signal)),
    };
    return new CancellableRuns(
      cancellations as unknown as JobCancellations,
      new StageTiming({ stage: 'transcode' }, clock),
      { started: async () => undefined } as unknown as JobProgressReporter,
    );
  };
  const work = (apply = jest.fn().mockResolvedValue(undefined)) => ({
    event: upstream,
    name: 'transcode',
    run: async () => 'renditions',
    discard: jest.fn().mockResolvedValue(3),
    apply,
  });

  it('times the run up to its result’s transaction', async () => {
    const ctx = ctxOf();
    const apply = jest.fn().mockResolvedValue(undefined);
    await runsWith(clockOf(12_000, 19_000), (value) => ({ cancelled: false, value })).runCancellable(ctx, work(apply));
    expect(apply).toHaveBeenCalledWith('tx', 'outbox', 'renditions');
    expect(await observed(stageQueueWait, { stage: 'transcode' })).toEqual({ count: 1, sum: 2 });
    expect(await observed(stageDuration, { stage: 'transcode', outcome: 'ok' })).toEqual({ count: 1, sum: 7 });
  });

  it('counts a failed transaction as failed, a cancelled run not at all, a duplicate not even as a start', async () => {
    const failing = work(jest.fn().mockRejectedValue(new Error('deadlock')));
    await expect(
      runsWith(clockOf(12_000, 13_000), (value) => ({ cancelled: false, value })).runCancellable(ctxOf(), failing),
    ).rejects.toThrow('deadlock');
    expect(await observed(stageDuration, { stage: 'transcode', outcome: 'failed' })).toEqual({ count: 1, sum: 1 });

    const cancelled = work();
    await runsWith(clockOf(14_000, 15_000), () => ({ cancelled: true })).runCancellable(ctxOf(), cancelled);
    expect(cancelled.discard).toHaveBeenCalled();

    const duplicate = ctxOf();
    duplicate.alreadyProcessed.mockResolvedValue(true);
    await runsWith(clockOf(16_000, 17_000), (value) => ({ cancelled: false, value })).runCancellable(duplicate, work());

    expect(await observed(stageDuration, { stage: 'transcode', outcome: 'ok' })).toEqual({ count: 0, sum: 0 });
    expect(await observed(stageDuration, { stage: 'transcode', outcome: 'failed' })).toEqual({ count: 1, sum: 1 });
    // The failed and the cancelled runs started (their waits count); the duplicate never did.
    expect(await observed(stageQueueWait, { stage: 'transcode' })).toEqual({ count: 2, sum: 6 });
  });
});
