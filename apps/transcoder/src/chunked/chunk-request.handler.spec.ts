import type { TranscodeChunkRequested } from '@tf/contracts';
import { type KafkaAvroContext, NonRetryableError } from '@tf/messaging';
import type { JobCancellations, JobProgressReporter } from '@tf/stage';
import type { OutputStore } from '../output-store';
import type { ChunkAssembler } from './chunk-assembler.service';
import type { ChunkEncoder } from './chunk-encoder.service';
import type { ChunkRunState } from './chunk-fan-in';
import type { ChunkFanIn } from './chunk-fan-in.service';
import { ChunkRequestHandler } from './chunk-request.handler';
import type { ChunkRunsRepository } from './chunk-runs.repository';

const request = (part: string, index = 0) =>
  ({ job_id: 'job-1', run_id: 'run-1', attempt: 1, part, index }) as unknown as TranscodeChunkRequested;

/** The handler's decision before any work, with the run's state as the repository reads it. */
describe('ChunkRequestHandler: parts of a run that no longer wants them', () => {
  let state: ChunkRunState | null;
  let encoder: { encodeVideo: jest.Mock; encodeAudio: jest.Mock };
  let assembler: { assemble: jest.Mock };
  let runs: { state: jest.Mock; progress: jest.Mock };
  let ctx: KafkaAvroContext & { processOnce: jest.Mock };
  let handler: ChunkRequestHandler;

  beforeEach(() => {
    state = 'encoding';
    encoder = { encodeVideo: jest.fn(async () => ({})), encodeAudio: jest.fn(async () => ({})) };
    assembler = { assemble: jest.fn(async () => ({})) };
    runs = {
      state: jest.fn(async () => state),
      progress: jest.fn(async () => ({ done: 0, total: 0 })),
    };
    const cancellations = {
      run: async (_job: string, work: (s: AbortSignal) => Promise<unknown>) => ({
        cancelled: false,
        value: await work(new AbortController().signal),
      }),
    };
    ctx = {
      alreadyProcessed: async () => false,
      processOnce: jest.fn(async () => true),
      signal: new AbortController().signal,
    } as unknown as KafkaAvroContext & { processOnce: jest.Mock };
    handler = new ChunkRequestHandler(
      encoder as unknown as ChunkEncoder,
      assembler as unknown as ChunkAssembler,
      { partFinished: jest.fn(), assembled: jest.fn() } as unknown as ChunkFanIn,
      runs as unknown as ChunkRunsRepository,
      cancellations as unknown as JobCancellations,
      {} as JobProgressReporter,
      {} as OutputStore,
    );
  });

  it('encodes a part of the job’s encoding run', async () => {
    await handler.onChunkRequested(request('video', 2), ctx);
    expect(encoder.encodeVideo).toHaveBeenCalled();
    expect(ctx.processOnce).toHaveBeenCalled();
  });

  it.each([
    ['failed (a part was given up on)', 'failed'],
    ['superseded by a retry of the job', 'superseded'],
    ['unknown', null],
  ] as const)('acknowledges a part of a run that is %s without encoding it', async (_, run) => {
    state = run;
    await handler.onChunkRequested(request('video', 2), ctx);
    await handler.onChunkRequested(request('audio'), ctx);
    expect(encoder.encodeVideo).not.toHaveBeenCalled();
    expect(encoder.encodeAudio).not.toHaveBeenCalled();
    expect(ctx.processOnce).not.toHaveBeenCalled();
  });

  it('refuses to assemble a run a newer run of the job superseded (a replayed dead letter)', async () => {
    state = 'superseded';
    await handler.onChunkRequested(request('assemble'), ctx);
    expect(assembler.assemble).not.toHaveBeenCalled();
    state = 'assembling';
    await handler.onChunkRequested(request('assemble'), ctx);
    expect(assembler.assemble).toHaveBeenCalledTimes(1);
  });

  it('leaves a failed part to the transport (retried, then settled by settleChunkGiveUp), whatever the failure', async () => {
    encoder.encodeVideo.mockRejectedValue(new NonRetryableError('MEDIA_TIMEOUT'));
    await expect(handler.onChunkRequested(request('video', 1), ctx)).rejects.toThrow(NonRetryableError);
    encoder.encodeVideo.mockRejectedValue(new Error('ffmpeg exited with code 1'));
    await expect(handler.onChunkRequested(request('video', 1), ctx)).rejects.toThrow('ffmpeg');
    expect(ctx.processOnce).not.toHaveBeenCalled();
  });
});
