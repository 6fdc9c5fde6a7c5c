import { Injectable, Logger } from '@nestjs/common';
import type { TranscodeChunkRequested } from '@tf/contracts';
import {
  AUDIO_FILE_NAME,
  CHUNK_AUDIO_TRACK_FILE_NAME,
  FfmpegExitError,
  RENDITION_AUDIO_BITRATE,
  buildChunkAudioArgs,
  type ChunkKeep,
  buildChunkEncodeArgs,
  chunkKeep,
  chunkThumbnailFiles,
  chunkWindowOf,
  mediaBudget,
  renditionFileName,
  runFfmpeg,
} from '@tf/media';
import { withJobWorkDir } from '@tf/stage';
import { ObjectStorage, type StoredObject } from '@tf/storage';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { OutputStore } from '../output-store';
import { planRenditions } from '../rendition-plan';
import { TRANSCODE_STAGE, TranscodeFailedError } from '../transcode.service';
import { TranscoderConfig } from '../transcoder.config';
import { type ChunkPartKind, observeChunkEncoded } from './chunk-metrics';
import { audioTrackKey, chunkRenditionKey } from './chunk-objects';
import { chunkThumbnails, rangeOf } from './chunk-requests';
import { SOURCE_URL_TTL_S } from './chunk-splitter.service';

/**
 * What a video chunk leaves for the assembly: the job's thumbnails it wrote (final keys), and per rendition
 * label the part of its file to keep (without its pre-roll and post-roll; absent in a part encoded before
 * the rolls existed: the whole file).
 */
export interface VideoPartResult {
  thumbnails: { number: number; object: StoredObject }[];
  keep?: Record<string, ChunkKeep>;
}

/** What the audio part leaves: the downloadable MP3 (final key) and the AAC track the renditions carry. */
export interface AudioPartResult {
  mp3: StoredObject;
  track: StoredObject;
}

/**
 * Encodes one part of a split transcode on this instance: a video chunk (every rendition of its time
 * range in one decode, reading the presigned source from the chunk's first key frame) or the whole file's
 * audio once. Outputs go to the run's chunk keys (renditions, AAC track) or to the job's final keys
 * (thumbnails, MP3); the assembly joins the rest.
 */
@Injectable()
export class ChunkEncoder {
  private readonly logger = new Logger(ChunkEncoder.name);

  constructor(
    private readonly storage: ObjectStorage,
    private readonly outputs: OutputStore,
    private readonly config: TranscoderConfig,
  ) {}

  async encodeVideo(request: TranscodeChunkRequested, signal: AbortSignal): Promise<VideoPartResult> {
    const { job_id: jobId, media } = request;
    const range = rangeOf(request);
    const plan = planRenditions(request.spec.target_resolutions, media);
    const durationS = (range.end_s ?? media.duration_s) - range.start_s;
    const window = chunkWindowOf({ media, range });
    // What the ffmpeg run reads: the range plus its pre-roll and post-roll.
    const encodedS = (window.untilS ?? media.duration_s) - window.fromS;
    return withJobWorkDir(this.config.workDir, TRANSCODE_STAGE, `${jobId}-c${range.index}`, async (dir) => {
      const encodePlan = {
        source: await this.sourceUrl(request),
        outDir: dir,
        media,
        renditions: plan.renditions,
        range,
        thumbnails: chunkThumbnails(media.duration_s, range),
        maxPixels: this.config.maxPixels,
      };
      await this.run(jobId, 'video', buildChunkEncodeArgs(encodePlan), encodedS, signal);
      const keep: Record<string, ChunkKeep> = {};
      for (const r of plan.renditions) {
        keep[r.label] = await chunkKeep(join(dir, renditionFileName(r.label)), window, signal);
        await this.outputs.put(
          jobId,
          chunkRenditionKey(request.run_id, range.index, r.label),
          join(dir, renditionFileName(r.label)),
        );
      }
      const thumbnails: VideoPartResult['thumbnails'] = [];
      for (const [i, path] of chunkThumbnailFiles(encodePlan).entries()) {
        // A selected time past the chunk's last frame writes nothing: fewer thumbnails, as in the single pass.
        if (!(await isFile(path))) continue;
        thumbnails.push({
          number: encodePlan.thumbnails[i].number,
          object: await this.outputs.put(jobId, basename(path), path),
        });
      }
      this.logger.log(`${jobId}: chunk ${range.index + 1}/${request.chunk_count} encoded (${durationS.toFixed(1)} s)`);
      return { thumbnails, keep };
    });
  }

  async encodeAudio(request: TranscodeChunkRequested, signal: AbortSignal): Promise<AudioPartResult> {
    const { job_id: jobId, media } = request;
    return withJobWorkDir(this.config.workDir, TRANSCODE_STAGE, `${jobId}-audio`, async (dir) => {
      const args = buildChunkAudioArgs({
        source: await this.sourceUrl(request),
        outDir: dir,
        aacBitrate: RENDITION_AUDIO_BITRATE,
      });
      await this.run(jobId, 'audio', args, media.duration_s, signal);
      const track = await this.outputs.put(
        jobId,
        audioTrackKey(request.run_id),
        join(dir, CHUNK_AUDIO_TRACK_FILE_NAME),
      );
      const mp3 = await this.outputs.put(jobId, AUDIO_FILE_NAME, join(dir, AUDIO_FILE_NAME));
      this.logger.log(`${jobId}: audio of the whole file encoded`);
      return { mp3, track };
    });
  }

  private sourceUrl({ source }: TranscodeChunkRequested): Promise<string> {
    return this.storage.presignGet(source.bucket, source.key, SOURCE_URL_TTL_S);
  }

  /** Inside the part's budget (scaled by its duration); ffmpeg's failure is TRANSCODE_FAILED, retried by the transport. */
  private async run(jobId: string, part: ChunkPartKind, args: string[], durationS: number, signal: AbortSignal) {
    const started = performance.now();
    try {
      await runFfmpeg(args, { durationS, budget: mediaBudget('encode', durationS), signal });
    } catch (error) {
      if (error instanceof FfmpegExitError) {
        this.logger.warn(`${jobId}: ${part} part: ${error.message}`);
        throw TranscodeFailedError.of(error);
      }
      throw error;
    }
    observeChunkEncoded(part, (performance.now() - started) / 1000);
  }
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile() && s.size > 0,
    () => false,
  );
}
