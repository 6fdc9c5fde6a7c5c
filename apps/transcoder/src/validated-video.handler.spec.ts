import { Logger } from '@nestjs/common';
import type { RenditionsReady, VideoValidated } from '@tf/contracts';
import type { KafkaAvroContext } from '@tf/messaging';
import {
  CancellableRuns,
  StageTiming,
  type JobCancellations,
  type JobProgressReporter,
  type RunOutcome,
} from '@tf/stage';
import type { OutputStore } from './output-store';
import type { TranscodeService } from './transcode.service';
import { ValidatedVideoHandler } from './validated-video.handler';

beforeAll(() => Logger.overrideLogger(false));

const event = (only_stage: string | null = null): VideoValidated =>
  ({ job_id: 'job-1', only_stage }) as unknown as VideoValidated;

describe('ValidatedVideoHandler (transcoder)', () => {
  const ready = { job_id: 'job-1' } as RenditionsReady;
  let transcode: jest.Mock;
  let discard: jest.Mock;
  let cancelled: jest.Mock;
  let cancelledDuringRun: boolean;
  let append: jest.Mock;
  let ctx: { alreadyProcessed: jest.Mock; processOnce: jest.Mock; meta: { attempt: number } };
  let handler: ValidatedVideoHandler;

  beforeEach(() => {
    transcode = jest.fn().mockResolvedValue(ready);
    discard = jest.fn().mockResolvedValue(7);
    cancelled = jest.fn().mockResolvedValue(1);
    cancelledDuringRun = false;
    append = jest.fn().mockResolvedValue(undefined);
    ctx = {
      alreadyProcessed: jest.fn().mockResolvedValue(false),
      processOnce: jest.fn(async (apply: (tx: unknown, outbox: unknown) => Promise<void>) => {
        await apply('tx', { append });
        return true;
      }),
      meta: { attempt: 1 },
    };
    const cancellations = {
      run: async (_jobId: string, work: (signal: AbortSignal) => Promise<unknown>): Promise<RunOutcome<unknown>> => {
        const value = await work(new AbortController().signal);
        return cancelledDuringRun ? { cancelled: true } : { cancelled: false, value };
      },
      cancelled,
    };
    handler = new ValidatedVideoHandler(
      { transcode } as unknown as TranscodeService,
      new CancellableRuns(cancellations as unknown as JobCancellations, new StageTiming({ stage: 'transcode' }), {
        started: jest.fn().mockResolvedValue(undefined),
      } as unknown as JobProgressReporter),
      { discard } as unknown as OutputStore,
    );
  });

  const on = (e: VideoValidated) => handler.onVideoValidated(e, ctx as unknown as KafkaAvroContext);

  it('transcodes with the run signal and emits RenditionsReady', async () => {
    await on(event());
    expect(transcode).toHaveBeenCalledWith(expect.objectContaining({ job_id: 'job-1' }), 1, expect.any(AbortSignal));
    expect(append).toHaveBeenCalledWith('tx', 'RenditionsReady', ready);
  });

  it('runs a retry meant for it and ignores one meant for the transcriber', async () => {
    await on(event('transcribe'));
    expect(ctx.alreadyProcessed).not.toHaveBeenCalled();
    expect(transcode).not.toHaveBeenCalled();
    await on(event('transcode'));
    expect(append).toHaveBeenCalledWith('tx', 'RenditionsReady', ready);
  });

  it('on a cancel: no RenditionsReady (nor a retry: it returns normally), the outputs are removed', async () => {
    cancelledDuringRun = true;
    await expect(on(event())).resolves.toBeUndefined();
    expect(ctx.processOnce).not.toHaveBeenCalled();
    expect(discard).toHaveBeenCalledWith('job-1');
  });

  it('records a JobCancelled of its group and removes the job outputs', async () => {
    await handler.onJobCancelled({ job_id: 'job-1' } as never);
    expect(cancelled).toHaveBeenCalledWith('job-1');
    expect(discard).toHaveBeenCalledWith('job-1');
  });
});
