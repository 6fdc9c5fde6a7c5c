import { globalOptions } from '../ffmpeg/global-options';
import { inputArgs } from '../input/input-args';
import { MediaSource } from '../input/media-source';
import { isInfrastructureFailure } from '../probe/classify-probe-failure';
import { FfmpegExitError } from '../runner/ffmpeg-errors';
import { mediaBudget } from '../runner/media-budget';
import { runFfmpeg } from '../runner/run-ffmpeg';

/** How much of the end of the file is decoded: enough to cross a few GOPs, cheap even for 4 h sources. */
export const TAIL_DECODE_SECONDS = 3;

/**
 * Decodes the last seconds of the source and discards the frames. An MP4 with
 * its index up front ("faststart") that was cut short probes fine, since
 * ffprobe reads only the index, but its last samples point past the end of
 * the file: decoding them fails. Any error at -v error, or no frame at all,
 * means the file is damaged.
 */
export function buildTailDecodeCheckArgs(
  source: string | MediaSource,
  durationS: number,
  maxPixels?: number,
): string[] {
  const tail = Math.min(TAIL_DECODE_SECONDS, durationS > 0 ? durationS : TAIL_DECODE_SECONDS);
  return [
    ...globalOptions({ logLevel: 'error', progress: true }),
    ...inputArgs(source, { seekFromEndS: tail, maxPixels }),
    '-map',
    '0:v:0',
    '-map',
    '0:a:0?',
    '-f',
    'null',
    '-',
  ];
}

/**
 * Resolves to null when the tail decodes cleanly, to a one-line reason when it
 * does not. Rejects when the source could not be reached at all (retryable),
 * or with MediaLimitExceededError when the decode went over its budget.
 */
export async function checkTailDecodes(
  source: string | MediaSource,
  durationS: number,
  options: { signal?: AbortSignal; maxPixels?: number } = {},
): Promise<string | null> {
  const input = MediaSource.of(source);
  let result;
  try {
    result = await runFfmpeg(buildTailDecodeCheckArgs(input, durationS, options.maxPixels), {
      signal: options.signal,
      budget: mediaBudget('tailDecode'),
    });
  } catch (error) {
    // Only ffmpeg failing on the bytes is a verdict; ffmpeg missing, an abort or a dropped connection is not.
    if (!(error instanceof FfmpegExitError) || isInfrastructureFailure(error.stderrTail)) throw error;
    return summarize(error.stderrTail || error.message, input);
  }
  if (isInfrastructureFailure(result.stderr))
    throw new Error(`The source could not be read: ${summarize(result.stderr, input)}`);
  if (result.stderr.trim()) return summarize(result.stderr, input);
  if (!result.lastProgress?.frame) return `no frame could be decoded in the last ${TAIL_DECODE_SECONDS} s`;
  return null;
}

/** First error line, without ffmpeg's "[h264 @ 0x55...]" prefix or the input's name (a temp path or a presigned URL). */
function summarize(stderr: string, input: MediaSource): string {
  const first = stderr.split(/\r?\n/).find((l) => l.trim()) ?? stderr;
  return first
    .split(`${input.target}: `)
    .join('')
    .split(input.target)
    .join('the source')
    .replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '')
    .trim();
}
