import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type RenditionsReady, TranscodeChunkRequested, Topics } from '@tf/contracts';
import { KafkaAvroContext, NonRetryableError, errorMessage } from '@tf/messaging';
import { JobCancellations, JobProgressReporter } from '@tf/stage';
import { OutputStore } from '../output-store';
import { AUDIO_PART, partWanted, videoPartName } from './chunk-fan-in';
import { ChunkAssembler } from './chunk-assembler.service';
import { ChunkEncoder } from './chunk-encoder.service';
import { ChunkFanIn } from './chunk-fan-in.service';
import { countChunkFailure, countChunkRuns } from './chunk-metrics';
import { chunksPrefix } from './chunk-objects';
import { ChunkRunsRepository, type PartResult } from './chunk-runs.repository';

/** The share of the job's transcode progress the parts stand for; the assembly is the rest. */
const PARTS_SHARE = 95;

/**
 * A part of a split transcode, for whichever transcoder of the group gets it: encode it (a video chunk
 * or the audio) and record it in the fan-in, or, once all are finished, assemble the run and emit its
 * RenditionsReady. A cancelled job's part stops and leaves nothing (no retry, no JobFailed); a failed one
 * is retried by the transport and, once given up on, fails its run and the job once (settleChunkGiveUp).
 */
@Controller()
export class ChunkRequestHandler {
  private readonly logger = new Logger(ChunkRequestHandler.name);

  constructor(
    private readonly encoder: ChunkEncoder,
    private readonly assembler: ChunkAssembler,
    private readonly fanIn: ChunkFanIn,
    private readonly runs: ChunkRunsRepository,
    private readonly cancellations: JobCancellations,
    private readonly progress: JobProgressReporter,
    private readonly outputs: OutputStore,
  ) {}

  @EventPattern(Topics.TranscodeChunkRequested)
  async onChunkRequested(@Payload() request: TranscodeChunkRequested, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    if (await ctx.alreadyProcessed()) return;
    const part = request.part === 'video' ? videoPartName(request.index) : AUDIO_PART;
    // A part of a failed, finished or superseded run (the job was retried) costs no encode and writes nothing.
    if (!partWanted(request.part, await this.runs.state(request.run_id))) {
      this.logger.log(
        `${request.job_id}: ${request.part} part of run ${request.run_id} skipped (run no longer wants it)`,
      );
      return;
    }
    if (request.part === 'assemble') return this.assemble(request, ctx);
    const outcome = await this.cancellations
      .run(request.job_id, (signal) => this.encode(request, signal), ctx.signal)
      .catch((error: unknown) => {
        // Retried by the transport; once given up on, settleChunkGiveUp fails the run and the job (once).
        if (!ctx.signal.aborted) countChunkFailure(request.part === 'video' ? 'video' : 'audio');
        throw error;
      });
    if (outcome.cancelled) return this.abandon(request, part);
    await ctx.processOnce((tx, outbox) => this.fanIn.partFinished(tx, outbox, request, part, outcome.value));
    await this.reportProgress(request);
  }

  private encode(request: TranscodeChunkRequested, signal: AbortSignal): Promise<PartResult> {
    if (request.part === 'video') return this.encoder.encodeVideo(request, signal) as Promise<never>;
    if (request.part === 'audio') return this.encoder.encodeAudio(request, signal) as Promise<never>;
    throw new NonRetryableError(
      'TRANSCODE_FAILED',
      `The video could not be transcoded (unknown part ${request.part}).`,
    );
  }

  private async assemble(request: TranscodeChunkRequested, ctx: KafkaAvroContext): Promise<void> {
    const outcome = await this.cancellations
      .run<RenditionsReady>(request.job_id, (signal) => this.assembler.assemble(request, signal), ctx.signal)
      .catch((error: unknown) => {
        if (!ctx.signal.aborted) countChunkFailure('assemble');
        throw error;
      });
    if (outcome.cancelled) return this.abandon(request, 'assembly');
    let applied = false;
    await ctx.processOnce(async (tx, outbox) => {
      applied = await this.fanIn.assembled(tx, outbox, request, outcome.value);
    });
    if (!applied) return;
    countChunkRuns('assembled');
    // The chunks served their purpose; a failed removal leaves them under the job's prefix, removed with the job.
    await this.outputs
      .discardUnder(request.job_id, chunksPrefix(request.run_id))
      .catch((e) =>
        this.logger.warn(`${request.job_id}: chunks of run ${request.run_id} not removed: ${errorMessage(e)}`),
      );
  }

  private async abandon(request: TranscodeChunkRequested, part: string): Promise<void> {
    const removed = await this.outputs.discard(request.job_id);
    this.logger.log(`${request.job_id}: cancelled, ${part} abandoned (${removed} object(s) removed)`);
  }

  /** Parts finished / parts, as the job's transcode progress (one JobProgress per part; never fails the part). */
  private async reportProgress(request: TranscodeChunkRequested): Promise<void> {
    try {
      const { done, total } = await this.runs.progress(request.run_id);
      if (total === 0) return;
      const sink = this.progress.forJob(request.job_id, request.attempt);
      sink.report(Math.floor((done / total) * PARTS_SHARE), `${done} of ${total} parts encoded`);
      await sink.close();
    } catch (error) {
      this.logger.warn(`${request.job_id}: progress not reported: ${errorMessage(error)}`);
    }
  }
}
