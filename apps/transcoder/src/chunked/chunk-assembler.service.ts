import { Injectable, Logger } from '@nestjs/common';
import type { RenditionsReady, TranscodeChunkRequested } from '@tf/contracts';
import {
  CHUNK_AUDIO_TRACK_FILE_NAME,
  FfmpegExitError,
  buildChunkAssemblyArgs,
  mediaBudget,
  probeCodecs,
  renditionFileName,
  runFfmpeg,
  writeConcatList,
} from '@tf/media';
import { NonRetryableError } from '@tf/messaging';
import { withJobWorkDir } from '@tf/stage';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { OutputStore, type StoredTranscodeOutputs } from '../output-store';
import { planRenditions } from '../rendition-plan';
import { type EncodedRendition, renditionsReadyEvent } from '../renditions-ready';
import { TRANSCODE_STAGE, TranscodeFailedError } from '../transcode.service';
import { TranscoderConfig } from '../transcoder.config';
import { AUDIO_PART, videoPartName } from './chunk-fan-in';
import type { AudioPartResult, VideoPartResult } from './chunk-encoder.service';
import { observeAssembly } from './chunk-metrics';
import { audioTrackKey, chunkDirName, chunkRenditionKey } from './chunk-objects';
import { ChunkRunsRepository } from './chunk-runs.repository';

/** Chunk downloads running at once (local S3: the assembly's time is mostly these and the uploads). */
const PARALLEL_DOWNLOADS = 4;

/**
 * The fan-in's work once every part is finished: per rendition, the chunks are joined with `-c copy`
 * and the whole file's AAC track muxed in (faststart), each result probed for its CODECS and uploaded
 * to the single pass's key ({job_id}/{label}.mp4); the RenditionsReady lists them with the MP3 and the
 * thumbnails the parts wrote. The HLS stage packages it as any other.
 */
@Injectable()
export class ChunkAssembler {
  private readonly logger = new Logger(ChunkAssembler.name);

  constructor(
    private readonly runs: ChunkRunsRepository,
    private readonly outputs: OutputStore,
    private readonly config: TranscoderConfig,
  ) {}

  async assemble(request: TranscodeChunkRequested, signal: AbortSignal): Promise<RenditionsReady> {
    const started = performance.now();
    const run = await this.runs.find(request.run_id);
    if (!run)
      throw new NonRetryableError('TRANSCODE_FAILED', 'The video could not be transcoded (its chunks are gone).');
    const { validated, job_id: jobId, run_id: runId, chunk_count: chunkCount } = run;
    const plan = planRenditions(validated.spec.target_resolutions, validated.media);
    const results = await this.runs.results(runId);
    const audio = results.get(AUDIO_PART) as AudioPartResult | undefined;

    const ready = await withJobWorkDir(this.config.workDir, TRANSCODE_STAGE, `${jobId}-assemble`, async (dir) => {
      const indexes = Array.from({ length: chunkCount }, (_, i) => i);
      const downloads = [
        ...plan.renditions.flatMap((r) =>
          indexes.map(
            (i) => () =>
              this.fetch(
                jobId,
                chunkRenditionKey(runId, i, r.label),
                join(dir, 'chunks', chunkDirName(i)),
                renditionFileName(r.label),
              ),
          ),
        ),
        ...(audio ? [() => this.fetch(jobId, audioTrackKey(runId), dir, CHUNK_AUDIO_TRACK_FILE_NAME)] : []),
      ];
      await inBatches(downloads, PARALLEL_DOWNLOADS, signal);

      const outDir = join(dir, 'out');
      await mkdir(outDir);
      const stored: StoredTranscodeOutputs = { renditions: [], audio: audio?.mp3 ?? null, thumbnails: [] };
      const encoded = new Map<string, EncodedRendition>();
      for (const r of plan.renditions) {
        const output = join(outDir, renditionFileName(r.label));
        const videoChunks = await writeConcatList(
          dir,
          `${r.label}.ffconcat`,
          indexes.map((i) => {
            // Without the chunk's pre-roll and post-roll (encoded for the encoder's sake, not the join's).
            const keep = (results.get(videoPartName(i)) as VideoPartResult | undefined)?.keep?.[r.label];
            return {
              path: `chunks/${chunkDirName(i)}/${renditionFileName(r.label)}`,
              inpointS: keep?.inpoint_s,
              outpointS: keep?.outpoint_s,
              durationS: keep?.duration_s,
            };
          }),
        );
        const args = buildChunkAssemblyArgs({
          videoChunks,
          audioTrack: audio ? join(dir, CHUNK_AUDIO_TRACK_FILE_NAME) : null,
          output,
        });
        await this.join(jobId, args, validated.media.duration_s, signal);
        const { codecs, video } = await probeCodecs(output);
        encoded.set(r.label, { codecs, width: video.width, height: video.height });
        stored.renditions.push({
          label: r.label,
          path: output,
          object: await this.outputs.put(jobId, renditionFileName(r.label), output),
        });
      }
      stored.thumbnails = indexes
        .flatMap((i) => (results.get(videoPartName(i)) as VideoPartResult | undefined)?.thumbnails ?? [])
        .sort((a, b) => a.number - b.number)
        .map((t) => t.object);
      return renditionsReadyEvent(validated, plan, stored, encoded, run.attempt);
    });
    const seconds = (performance.now() - started) / 1000;
    observeAssembly(seconds);
    this.logger.log(
      `${jobId}: ${chunkCount} chunks assembled into ${plan.renditions.map((r) => r.label).join(', ')} in ${seconds.toFixed(1)} s`,
    );
    return ready;
  }

  private async fetch(jobId: string, key: string, dir: string, name: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await this.outputs.get(jobId, key, join(dir, name));
  }

  private async join(jobId: string, args: string[], durationS: number, signal: AbortSignal): Promise<void> {
    try {
      await runFfmpeg(args, { durationS, budget: mediaBudget('remux', durationS), signal });
    } catch (error) {
      if (error instanceof FfmpegExitError) {
        this.logger.warn(`${jobId}: assembly: ${error.message}`);
        throw TranscodeFailedError.of(error);
      }
      throw error;
    }
  }
}

/** Runs the tasks `width` at a time, stopping between batches when the signal fired. */
async function inBatches(tasks: (() => Promise<void>)[], width: number, signal: AbortSignal): Promise<void> {
  for (let i = 0; i < tasks.length; i += width) {
    signal.throwIfAborted();
    await Promise.all(tasks.slice(i, i + width).map((task) => task()));
  }
}
