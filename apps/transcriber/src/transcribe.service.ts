import { Injectable, Logger } from '@nestjs/common';
import { TranscriptReady, VideoValidated } from '@tf/contracts';
import { NonRetryableError } from '@tf/messaging';
import { JobProgressReporter, withJobWorkDir } from '@tf/stage';
import { Buckets, ObjectStorage } from '@tf/storage';
import { WhisperJobError, extractSpeechAudio, observeTranscription } from '@tf/transcription';
import { join } from 'node:path';
import { TranscriberConfig, jobTimeoutMs } from './transcriber.config';
import { renderTranscript, transcriptKey, transcriptReadyEvent } from './transcript-files';
import { WhisperEngine } from './whisper-engine';

export const TRANSCRIBE_STAGE = 'transcribe';

/** How long the presigned source URL stays valid: ffmpeg reads the whole soundtrack through it. */
const SOURCE_URL_TTL_S = 6 * 3600;

/**
 * One job: stream the soundtrack from S3 (presigned URL) into a 16 kHz mono WAV in a scratch
 * directory, transcribe it with the instance's Whisper worker, store SRT/VTT/JSON/TXT under
 * processed-videos/{job_id}/, describe the result. The scratch directory is always removed.
 *
 * Errors: a worker crash or timeout, or an S3/ffmpeg hiccup, is a plain error (the transport retries;
 * WhisperWorker restarts its process on the next call). What retrying cannot fix is a NonRetryableError:
 * the source is gone (SOURCE_MISSING) or Whisper refuses the audio (TRANSCRIPTION_FAILED).
 */
@Injectable()
export class TranscribeService {
  private readonly logger = new Logger(TranscribeService.name);

  constructor(
    private readonly storage: ObjectStorage,
    private readonly whisper: WhisperEngine,
    private readonly progress: JobProgressReporter,
    private readonly config: TranscriberConfig,
  ) {}

  /**
   * `signal`: the job's cancellation (JobCancellations). Aborting it stops the Whisper run (the worker
   * is killed and restarted) or, during the audio extraction, stops the job right after it; the
   * caller then discards what was written (`discard`).
   */
  async transcribe(validated: VideoValidated, attempt: number, signal?: AbortSignal): Promise<TranscriptReady> {
    const { job_id: jobId, spec, media } = validated;
    const timeoutMs = jobTimeoutMs(this.config, media.duration_s);
    const progress = this.progress.forJob(jobId, attempt);
    progress.report(0);
    try {
      return await withJobWorkDir(this.config.workDir, TRANSCRIBE_STAGE, jobId, async (dir) => {
        const wav = await this.extractAudio(validated, join(dir, 'speech.wav'), signal);
        signal?.throwIfAborted();
        this.logger.log(
          `${jobId}: transcribing ${media.duration_s.toFixed(1)} s (language ${spec.language ?? 'detect'}, timeout ${timeoutMs / 1000} s, attempt ${attempt})`,
        );
        const started = Date.now();
        const result = await this.whisperCancellable(jobId, wav, { language: spec.language, timeoutMs }, signal).catch(
          (error: unknown) => {
            signal?.throwIfAborted();
            if (error instanceof WhisperJobError) throw new NonRetryableError('TRANSCRIPTION_FAILED', error.message);
            throw error;
          },
        );
        signal?.throwIfAborted();
        observeTranscription(result);
        const wallS = (Date.now() - started) / 1000;
        const transcript = renderTranscript(jobId, result, spec);
        this.logger.log(
          `${jobId}: ${transcript.segment_count} segment(s), language=${transcript.language} (worker: ${result.language} p=${result.language_probability}), ` +
            `${result.duration_s.toFixed(1)} s audio (${result.speech_s.toFixed(1)} s speech) in ${wallS.toFixed(1)} s, RTF ${(wallS / Math.max(result.duration_s, 0.001)).toFixed(3)}`,
        );

        const stored = await Promise.all(
          transcript.files.map(async (f) => ({
            format: f.format,
            object: await this.storage.putText(Buckets.processed, f.key, f.body, f.contentType),
          })),
        );
        progress.report(100);
        return transcriptReadyEvent(validated, transcript, stored, attempt);
      });
    } finally {
      await progress.close();
    }
  }

  /** Removes the transcript files of a cancelled job; how many there were. */
  discard(jobId: string): Promise<number> {
    return this.storage.removePrefix(Buckets.processed, transcriptKey(jobId, 'transcript.'));
  }

  /** The Whisper run; a cancel of the job stops the worker in the middle of it (its result is not wanted). */
  private async whisperCancellable(
    jobId: string,
    wav: string,
    options: { language: string | null; timeoutMs: number },
    signal?: AbortSignal,
  ) {
    if (!signal) return this.whisper.transcribe(wav, options);
    signal.throwIfAborted();
    const onAbort = () => void this.whisper.abortCurrent(`job ${jobId} was cancelled`);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.whisper.transcribe(wav, options);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * ffmpeg (@tf/media's restricted input, time and resource budget scaled by the duration) streams the source
   * over a presigned URL (no local copy of the video) and writes only the WAV; Whisper reads nothing else.
   */
  private async extractAudio(
    { source, media }: VideoValidated,
    wavPath: string,
    signal?: AbortSignal,
  ): Promise<string> {
    const url = await this.storage.presignGet(source.bucket, source.key, SOURCE_URL_TTL_S);
    try {
      return (await extractSpeechAudio(url, wavPath, { durationS: media.duration_s, signal })).path;
    } catch (error) {
      signal?.throwIfAborted();
      if (await this.sourceIsGone(source.bucket, source.key)) {
        throw new NonRetryableError('SOURCE_MISSING');
      }
      throw error;
    }
  }

  /** True only when S3 answers that the object does not exist (not when S3 is unreachable). */
  private async sourceIsGone(bucket: string, key: string): Promise<boolean> {
    try {
      await this.storage.client.statObject(bucket, key);
      return false;
    } catch (error) {
      const code = (error as { code?: string }).code;
      return code === 'NotFound' || code === 'NoSuchKey';
    }
  }
}
