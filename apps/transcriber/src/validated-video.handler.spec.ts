import { Logger } from '@nestjs/common';
import type { TranscriptReady, VideoValidated } from '@tf/contracts';
import type { KafkaAvroContext } from '@tf/messaging';
import type { TranscribeService } from './transcribe.service';
import { ValidatedVideoHandler } from './validated-video.handler';

const event = (enable_transcription: boolean, has_audio: boolean): VideoValidated =>
  ({ job_id: 'job-1', spec: { enable_transcription, language: null }, media: { has_audio, duration_s: 10 } }) as unknown as VideoValidated;

beforeAll(() => Logger.overrideLogger(false));

describe('ValidatedVideoHandler', () => {
  const ready = { job_id: 'job-1' } as TranscriptReady;
  let transcribe: jest.Mock;
  let ctx: { alreadyProcessed: jest.Mock; processOnce: jest.Mock; meta: { attempt: number } };
  let append: jest.Mock;
  let handler: ValidatedVideoHandler;

  beforeEach(() => {
    transcribe = jest.fn().mockResolvedValue(ready);
    append = jest.fn().mockResolvedValue(undefined);
    ctx = {
      alreadyProcessed: jest.fn().mockResolvedValue(false),
      processOnce: jest.fn(async (apply: (tx: unknown, outbox: unknown) => Promise<void>) => {
        await apply('tx', { append });
        return true;
      }),
      meta: { attempt: 2 },
    };
    handler = new ValidatedVideoHandler({ transcribe } as unknown as TranscribeService);
  });

  const on = (e: VideoValidated) => handler.onVideoValidated(e, ctx as unknown as KafkaAvroContext);

  it('transcribes and emits TranscriptReady in one processOnce', async () => {
    await on(event(true, true));
    expect(transcribe).toHaveBeenCalledWith(expect.objectContaining({ job_id: 'job-1' }), 2);
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

  it('skips the work for an event this group already applied', async () => {
    ctx.alreadyProcessed.mockResolvedValue(true);
    await on(event(true, true));
    expect(transcribe).not.toHaveBeenCalled();
    expect(ctx.processOnce).not.toHaveBeenCalled();
  });
});
