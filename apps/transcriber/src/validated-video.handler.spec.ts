import { Logger } from '@nestjs/common';
import type { TranscriptReady, VideoValidated } from '@tf/contracts';
import { cancellableRuns, fakeMessageContext } from '../../../libs/testing/src/stage-doubles';
import type { TranscribeService } from './transcribe.service';
import { ValidatedVideoHandler } from './validated-video.handler';

const event = (enable_transcription: boolean, has_audio: boolean, only_stage: string | null = null): VideoValidated =>
  ({
    job_id: 'job-1',
    spec: { enable_transcription, language: null },
    media: { has_audio, duration_s: 10 },
    only_stage,
  }) as unknown as VideoValidated;

beforeAll(() => Logger.overrideLogger(false));

describe('ValidatedVideoHandler', () => {
  const ready = { job_id: 'job-1' } as TranscriptReady;
  let transcribe: jest.Mock;
  let discard: jest.Mock;
  let cancelled: boolean;
  let ctx: ReturnType<typeof fakeMessageContext>['ctx'];
  let context: ReturnType<typeof fakeMessageContext>['context'];
  let append: jest.Mock;
  let handler: ValidatedVideoHandler;

  beforeEach(() => {
    transcribe = jest.fn().mockResolvedValue(ready);
    discard = jest.fn().mockResolvedValue(4);
    cancelled = false;
    ({ ctx, append, context } = fakeMessageContext(2));
    handler = new ValidatedVideoHandler(
      { transcribe, discard } as unknown as TranscribeService,
      cancellableRuns('transcribe', () => cancelled),
    );
  });

  const on = (e: VideoValidated) => handler.onVideoValidated(e, context);

  it('transcribes and emits TranscriptReady in one processOnce', async () => {
    await on(event(true, true));
    expect(transcribe).toHaveBeenCalledWith(expect.objectContaining({ job_id: 'job-1' }), 2, expect.any(AbortSignal));
    expect(append).toHaveBeenCalledWith('tx', 'TranscriptReady', ready);
  });

  it.each([
    ['transcription disabled', event(false, true)],
    ['no audio', event(true, false)],
    ['both', event(false, false)],
  ])('does nothing when %s: no work, no inbox row, no event', async (_, e) => {
    await on(e);
    expect(ctx.alreadyProcessed).not.toHaveBeenCalled();
    expect(transcribe).not.toHaveBeenCalled();
    expect(ctx.processOnce).not.toHaveBeenCalled();
  });

  it('leaves a retry of the transcode alone (only_stage) and takes one of its own', async () => {
    await on(event(true, true, 'transcode'));
    expect(transcribe).not.toHaveBeenCalled();
    expect(ctx.alreadyProcessed).not.toHaveBeenCalled();
    await on(event(true, true, 'transcribe'));
    expect(append).toHaveBeenCalledWith('tx', 'TranscriptReady', ready);
  });

  it('emits nothing for a cancelled job and removes its transcript files', async () => {
    cancelled = true;
    await on(event(true, true));
    expect(ctx.processOnce).not.toHaveBeenCalled();
    expect(discard).toHaveBeenCalledWith('job-1');
  });

  it('skips the work for an event this group already applied', async () => {
    ctx.alreadyProcessed.mockResolvedValue(true);
    await on(event(true, true));
    expect(transcribe).not.toHaveBeenCalled();
    expect(ctx.processOnce).not.toHaveBeenCalled();
  });
});
