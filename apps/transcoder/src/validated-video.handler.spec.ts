import { Logger } from '@nestjs/common';
import type { RenditionsReady, VideoValidated } from '@tf/contracts';
import { cancellableRuns, fakeMessageContext } from '../../../libs/testing/src/stage-doubles';
import type { ChunkRunsRepository } from './chunked/chunk-runs.repository';
import type { ChunkSplitter } from './chunked/chunk-splitter.service';
import type { OutputStore } from './output-store';
import type { TranscodeService } from './transcode.service';
import { ValidatedVideoHandler } from './validated-video.handler';

beforeAll(() => Logger.overrideLogger(false));

const event = (only_stage: string | null = null): VideoValidated =>
  ({ job_id: 'job-1', event_id: 'validated-2', attempt: 2, only_stage }) as unknown as VideoValidated;

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
  let chunkRuns: { supersedeEarlierAttempts: jest.Mock };

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
    chunkRuns = { supersedeEarlierAttempts: jest.fn().mockResolvedValue(0) };
    handler = new ValidatedVideoHandler(
      { transcode } as unknown as TranscodeService,
      cancellableRuns('transcode', () => cancelledDuringRun, cancelled),
      { discard } as unknown as OutputStore,
      splitter as unknown as ChunkSplitter,
      chunkRuns as unknown as ChunkRunsRepository,
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

  it.each([
    ['in one pass', null],
    [
      'split again',
      [
        { index: 0, start_s: 0, end_s: 60 },
        { index: 1, start_s: 60, end_s: null },
      ],
    ],
  ])('supersedes the job’s earlier split runs before a new transcode %s (a retried job)', async (_, chunks) => {
    splitter.wantsSplit.mockReturnValue(chunks !== null);
    const order: string[] = [];
    chunkRuns.supersedeEarlierAttempts.mockImplementation(async () => void order.push('supersede'));
    transcode.mockImplementation(async () => (order.push('transcode'), ready));
    splitter.plan.mockImplementation(async () => (order.push('split'), chunks));
    await on(event('transcode'));
    // The runs of the job's earlier attempts (a VideoValidated's run id is its event id), before the work.
    expect(chunkRuns.supersedeEarlierAttempts).toHaveBeenCalledWith('job-1', 'validated-2', 2);
    expect(order[0]).toBe('supersede');
  });

  it('supersedes nothing for an event applied before (a redelivered older VideoValidated must not stop a newer run)', async () => {
    ctx.alreadyProcessed.mockResolvedValue(true);
    await on(event());
    expect(chunkRuns.supersedeEarlierAttempts).not.toHaveBeenCalled();
    await on(event('transcribe'));
    expect(chunkRuns.supersedeEarlierAttempts).not.toHaveBeenCalled();
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
