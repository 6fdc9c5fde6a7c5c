import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { JobCancelled, RenditionsReady, Topics, VideoValidated } from '@tf/contracts';
import { KafkaAvroContext } from '@tf/messaging';
import { type ChunkRange } from '@tf/media';
import { CancellableRuns } from '@tf/stage';
import { countChunkRuns } from './chunked/chunk-metrics';
import { ChunkRunsRepository } from './chunked/chunk-runs.repository';
import { ChunkSplitter } from './chunked/chunk-splitter.service';
import { OutputStore } from './output-store';
import { TRANSCODE_STAGE, TranscodeService } from './transcode.service';

@Controller()
export class ValidatedVideoHandler {
  constructor(
    private readonly transcoder: TranscodeService,
    private readonly runs: CancellableRuns,
    private readonly outputs: OutputStore,
    private readonly splitter: ChunkSplitter,
    private readonly chunkRuns: ChunkRunsRepository,
  ) {}

  @EventPattern(Topics.VideoValidated)
  async onVideoValidated(@Payload() event: VideoValidated, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    // A retry of another stage (only_stage) is not for us; absent on events written before the field existed.
    if (event.only_stage && event.only_stage !== TRANSCODE_STAGE) return;
    // Cancelled before, during or right after the encode: no RenditionsReady, no retry, no JobFailed; nothing left behind.
    // A long source is split (its chunks go to the whole group; the fan-in emits RenditionsReady), a short one is one pass.
    const attempt = ctx.meta.attempt;
    await this.runs.runCancellable<TranscodeResult>(ctx, {
      event,
      name: TRANSCODE_STAGE,
      run: async (signal) => {
        await this.supersedeEarlierRuns(event);
        const chunks = this.splitter.wantsSplit(event) ? await this.splitter.plan(event, signal) : null;
        if (chunks) return { chunks };
        return { ready: await this.transcoder.transcode(event, attempt, signal) };
      },
      discard: () => this.outputs.discard(event.job_id),
      apply: (tx, outbox, result) =>
        'chunks' in result
          ? this.splitter.record(tx, outbox, event, attempt, result.chunks)
          : outbox.append(tx, 'RenditionsReady', result.ready),
    });
  }

  /**
   * A new transcode of the job (a retry, split again or in one pass) supersedes the job's earlier split runs before
   * it starts: their late parts and assembly change nothing and fail nothing any more (their fan-in decisions check
   * the run's state under its row lock), so an old run cannot emit a RenditionsReady or a JobFailed for this attempt.
   * Only for a VideoValidated not applied before (runCancellable's check), never for this event's own run.
   */
  private async supersedeEarlierRuns(event: VideoValidated): Promise<void> {
    const superseded = await this.chunkRuns.supersedeEarlierAttempts(event.job_id, event.event_id, event.attempt);
    if (superseded > 0) countChunkRuns('superseded', superseded);
  }

  /**
   * The stage's durable record of a cancel (this group gets each one once, even if no instance was
   * listening to the broadcast then): remember it, stop a run here, and remove the job's outputs.
   */
  @EventPattern(Topics.JobCancelled)
  async onJobCancelled(@Payload() event: JobCancelled): Promise<void> {
    await this.runs.cancelled(event.job_id, () => this.outputs.discard(event.job_id));
  }
}

/** A VideoValidated's outcome: the single pass's RenditionsReady, or the chunks of a split transcode. */
type TranscodeResult = { ready: RenditionsReady } | { chunks: ChunkRange[] };
