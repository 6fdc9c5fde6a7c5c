import { type MediaBudget, mediaBudget } from './media-budget';
import { type FfmpegProgress, ProgressStreamParser, progressPercent } from './progress-parser';
import { runMediaTool } from './run-media-tool';

export interface RunFfmpegOptions {
  /** Called with 0..100 each time the percent grows; needs durationS and `-progress pipe:1` in the args. */
  onProgress?: (percent: number, progress: FfmpegProgress) => void;
  /** Aborting stops ffmpeg: SIGTERM, then SIGKILL after killGraceMs. */
  signal?: AbortSignal;
  /** Expected output duration in seconds, the 100 % mark. */
  durationS?: number;
  /** How long ffmpeg may take to exit after SIGTERM before it is killed. */
  killGraceMs?: number;
  /** Time, CPU and memory of this run; default: an encode of durationS seconds of media. */
  budget?: MediaBudget;
}

export interface FfmpegRunResult {
  /** The end of what ffmpeg wrote to stderr (warnings or decode errors at the chosen -v level). */
  stderr: string;
  /** The last -progress block, when the args asked for progress on pipe:1. */
  lastProgress?: FfmpegProgress;
}

/**
 * Runs ffmpeg with an argument list from one of the builders, inside its budget (see runMediaTool).
 *
 * Spawned directly rather than through fluent-ffmpeg: fluent-ffmpeg composes its own argument list,
 * reads progress from the human stats line on stderr and has no time or resource limits, whereas our
 * builders produce the complete argv and ask for the machine-readable `-progress` stream.
 */
export async function runFfmpeg(args: readonly string[], options: RunFfmpegOptions = {}): Promise<FfmpegRunResult> {
  const { onProgress, signal, durationS = 0, killGraceMs } = options;
  const progressParser = new ProgressStreamParser();
  let lastProgress: FfmpegProgress | undefined;
  let lastPercent = -1;

  const { stderr } = await runMediaTool('ffmpeg', args, {
    budget: options.budget ?? mediaBudget('encode', durationS),
    signal,
    killGraceMs,
    onStdout: (chunk) => {
      for (const progress of progressParser.push(chunk)) {
        lastProgress = progress;
        const percent = progressPercent(progress, durationS);
        if (onProgress && percent !== undefined && percent > lastPercent) {
          lastPercent = percent;
          onProgress(percent, progress);
        }
      }
    },
  });
  return { stderr, lastProgress };
}
