import { spawn } from 'node:child_process';
import { ffmpegBinary } from '../binaries';
import { FfmpegAbortedError, FfmpegExitError } from './ffmpeg-errors';
import { type FfmpegProgress, ProgressStreamParser, progressPercent } from './progress-parser';
import { StderrTail } from './stderr-tail';

export interface RunFfmpegOptions {
  /** Called with 0..100 each time the percent grows; needs durationS and `-progress pipe:1` in the args. */
  onProgress?: (percent: number, progress: FfmpegProgress) => void;
  /** Aborting stops ffmpeg: SIGTERM, then SIGKILL after killGraceMs. */
  signal?: AbortSignal;
  /** Expected output duration in seconds, the 100 % mark. */
  durationS?: number;
  /** How long ffmpeg may take to exit after SIGTERM before it is killed. */
  killGraceMs?: number;
}

export interface FfmpegRunResult {
  /** The end of what ffmpeg wrote to stderr (warnings or decode errors at the chosen -v level). */
  stderr: string;
  /** The last -progress block, when the args asked for progress on pipe:1. */
  lastProgress?: FfmpegProgress;
}

/**
 * Runs ffmpeg with an argument list from one of the builders.
 *
 * Spawned directly rather than through fluent-ffmpeg: fluent-ffmpeg composes
 * its own argument list and reads progress from the human stats line on
 * stderr, whereas our builders produce the complete argv and ask for the
 * machine-readable `-progress` stream.
 */
export function runFfmpeg(args: readonly string[], options: RunFfmpegOptions = {}): Promise<FfmpegRunResult> {
  const { onProgress, signal, durationS = 0, killGraceMs = 5000 } = options;

  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new FfmpegAbortedError(signal.reason));
      return;
    }

    const child = spawn(ffmpegBinary(), [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr = new StderrTail();
    const progressParser = new ProgressStreamParser();
    let lastProgress: FfmpegProgress | undefined;
    let lastPercent = -1;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;

    const onAbort = () => {
      aborted = true;
      child.kill('SIGTERM');
      // ffmpeg finishes its files on SIGTERM, which can take a while (faststart rewrites the whole MP4).
      killTimer = setTimeout(() => child.kill('SIGKILL'), killGraceMs);
      killTimer.unref();
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      for (const progress of progressParser.push(chunk)) {
        lastProgress = progress;
        const percent = progressPercent(progress, durationS);
        if (onProgress && percent !== undefined && percent > lastPercent) {
          lastPercent = percent;
          onProgress(percent, progress);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

    const finish = () => {
      signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
    };
    child.on('error', (error) => {
      finish();
      reject(error);
    });
    child.on('close', (code, killSignal) => {
      finish();
      if (aborted) reject(new FfmpegAbortedError(signal?.reason));
      else if (code !== 0) reject(new FfmpegExitError(code, killSignal, stderr.lastLines()));
      else resolve({ stderr: stderr.all(), lastProgress });
    });
  });
}
