import { Injectable, Logger } from '@nestjs/common';
import { RenditionsReady, VideoValidated } from '@tf/contracts';
import type { JobErrorCode } from '@tf/errors';
import {
  FfmpegExitError,
  buildFirstFrameThumbnailArgs,
  buildTranscodeArgs,
  mediaBudget,
  probeCodecs,
  runFfmpeg,
  writtenOutputs,
} from '@tf/media';
import { NonRetryableError } from '@tf/messaging';
import { JobProgressReporter, withJobWorkDir } from '@tf/stage';
import { ObjectStorage } from '@tf/storage';
import { mkdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { OutputStore } from './output-store';
import { planRenditions } from './rendition-plan';
import { EncodedRendition, renditionsReadyEvent } from './renditions-ready';
import { observeEncode } from './transcode-metrics';
import { TranscoderConfig } from './transcoder.config';

export const TRANSCODE_STAGE = 'transcode';

/**
 * ffmpeg failed on a source the validator accepted: worth a retry (resources, a flaky disk), then JobFailed.
 * The message is public (the job's error); ffmpeg's own words go to the log only.
 */
export class TranscodeFailedError extends Error {
  readonly code: JobErrorCode = 'TRANSCODE_FAILED';

  /** The public message of an ffmpeg run that ended badly (its stderr stays in the log). */
  static of(error: FfmpegExitError): TranscodeFailedError {
    return new TranscodeFailedError(
      `The video could not be transcoded (ffmpeg ${error.exitCode !== null ? `exit code ${error.exitCode}` : `stopped by ${error.signal}`}).`,
    );
  }
}

/**
 * One job: plan the ladder, copy the source to a scratch directory, ONE ffmpeg pass for every
 * rendition + MP3 + thumbnails (progress published as it goes), upload, describe the result.
 *
 * The source is downloaded rather than read over a presigned URL: the decode then never depends on
 * a long-lived HTTP connection (an MP4 with its index at the end needs range requests and a
 * reconnect mid-encode would fail the whole pass), and the scratch directory is deleted either way.
 */
@Injectable()
export class TranscodeService {
  private readonly logger = new Logger(TranscodeService.name);

  constructor(
    private readonly storage: ObjectStorage,
    private readonly outputs: OutputStore,
    private readonly progress: JobProgressReporter,
    private readonly config: TranscoderConfig,
  ) {}

  /** `signal`: the job's cancellation (JobCancellations): aborting it stops ffmpeg; the caller then discards the outputs. */
  async transcode(validated: VideoValidated, attempt: number, signal?: AbortSignal): Promise<RenditionsReady> {
    const { job_id: jobId, media } = validated;
    const plan = planRenditions(validated.spec.target_resolutions, media);
    this.logger.log(
      `${jobId}: encoding ${plan.renditions.map((r) => `${r.label} ${r.width}x${r.height}`).join(', ')}; skipped ${plan.skipped.map((s) => s.label).join(', ') || 'none'}`,
    );

    return withJobWorkDir(this.config.workDir, TRANSCODE_STAGE, jobId, async (dir) => {
      const source = join(dir, `source${extname(validated.source.key)}`);
      await this.download(validated, source);
      signal?.throwIfAborted();
      const outDir = join(dir, 'out');
      await mkdir(outDir);
      // -max_pixels: a decoder refuses any frame beyond the validator's size limit, whatever the header said.
      const transcodePlan = { source, outDir, media, renditions: plan.renditions, maxPixels: this.config.maxPixels };
      const encodeStarted = performance.now();
      await this.encode(jobId, attempt, buildTranscodeArgs(transcodePlan), media.duration_s, signal);
      signal?.throwIfAborted();
      observeEncode(
        plan.renditions.map((r) => r.label),
        media.duration_s,
        (performance.now() - encodeStarted) / 1000,
      );

      let written = await writtenOutputs(transcodePlan);
      if (written.thumbnails.length === 0) {
        // Too short for any thumbnail position (one frame, or one frame and seconds of audio): its first frame then.
        await runFfmpeg(buildFirstFrameThumbnailArgs(transcodePlan), { budget: mediaBudget('tailDecode'), signal });
        written = await writtenOutputs(transcodePlan);
      }
      const encoded = new Map<string, EncodedRendition>();
      for (const r of written.renditions) {
        const { codecs, video } = await probeCodecs(r.path);
        encoded.set(r.label, { codecs, width: video.width, height: video.height });
      }
      const stored = await this.outputs.store(jobId, written);
      return renditionsReadyEvent(validated, plan, stored, encoded, attempt);
    });
  }

  private async download({ source }: VideoValidated, path: string): Promise<void> {
    try {
      await this.storage.download(source.bucket, source.key, path);
    } catch (error) {
      if ((error as { code?: string }).code === 'NoSuchKey') {
        throw new NonRetryableError('SOURCE_MISSING');
      }
      throw error;
    }
  }

  /** Inside the encode's budget (wall clock scaled by the duration, CPU time, memory): over it is MEDIA_TIMEOUT / MEDIA_RESOURCE_LIMIT, not retried. */
  private async encode(
    jobId: string,
    attempt: number,
    args: string[],
    durationS: number,
    cancel?: AbortSignal,
  ): Promise<void> {
    const progress = this.progress.forJob(jobId, attempt);
    try {
      await runFfmpeg(args, {
        durationS,
        budget: mediaBudget('encode', durationS),
        onProgress: (percent) => progress.report(percent),
        signal: cancel,
      });
    } catch (error) {
      if (error instanceof FfmpegExitError) {
        this.logger.warn(`${jobId}: ${error.message}`);
        throw TranscodeFailedError.of(error);
      }
      if (cancel?.aborted) this.logger.log(`${jobId}: job cancelled, ffmpeg stopped`);
      throw error;
    } finally {
      await progress.close();
    }
  }
}
