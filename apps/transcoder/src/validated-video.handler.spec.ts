import { Logger } from '@nestjs/common';
import type { RenditionsReady, VideoValidated } from '@tf/contracts';
import { cancellableRuns, fakeMessageContext } from '../../../libs/testing/src/stage-doubles';
import type { ChunkSplitter } from './chunked/chunk-splitter.service';
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
  let ctx: ReturnType<typeof fakeMessageContext>['ctx'];
  let context: ReturnType<typeof fakeMessageContext>['context'];
  let handler: ValidatedVideoHandler;
  let splitter: { wantsSplit: jest.Mock; plan: jest.Mock; record: jest.Mock };

  beforeEach(() => {
    transcode = jest.fn().mockResolvedValue(ready);
    discard = jest.fn().mockResolvedValue(7);
    cancelled = jest.fn().mockResolvedValue(1);
    cancelledDuringRun = false;
    ({ ctx, append, context } = fakeMessageContext(1));
    splitter = {
      wantsSplit: jest.fn().mockReturnValue(false),
      plan: jest.fn(),
      record: jest.fn().mockResolvedValue(undefined),
    };
    handler = new ValidatedVideoHandler(
      { transcode } as unknown as TranscodeService,
      cancellableRuns('transcode', () => cancelledDuringRun, cancelled),
      { discard } as unknown as OutputStore,
      splitter as unknown as ChunkSplitter,
    );
  });

  const on = (e: VideoValidated) => handler.onVideoValidated(e, context);

  it('transcodes with the run signal and emits RenditionsReady', async () => {
    await on(event());
    expect(transcode).toHaveBeenCalledWith(expect.objectContaining({ job_id: 'job-1' }), 1, expect.any(AbortSignal));
    expect(append).toHaveBeenCalledWith('tx', 'RenditionsReady', ready);
  });

  it('splits a long source: records the run and its chunk messages instead of a single pass', async () => {
    const chunks = [
      { index: 0, start_s: 0, end_s: 60 },
      { index: 1, start_s: 60, end_s: null },
    ];
    splitter.wantsSplit.mockReturnValue(true);
    splitter.plan.mockResolvedValue(chunks);
    await on(event());
    expect(transcode).not.toHaveBeenCalled();
    expect(splitter.record).toHaveBeenCalledWith(
      'tx',
      { append },
      expect.objectContaining({ job_id: 'job-1' }),
      1,
      chunks,
    );
    expect(append).not.toHaveBeenCalled();
  });

  it('keeps the single pass for a long source that cannot be cut (one chunk)', async () => {
    splitter.wantsSplit.mockReturnValue(true);
    splitter.plan.mockResolvedValue(null);
    await on(event());
    expect(append).toHaveBeenCalledWith('tx', 'RenditionsReady', ready);
    expect(splitter.record).not.toHaveBeenCalled();
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
