import { globalOptions } from '../ffmpeg/global-options';
import { isInfrastructureFailure } from '../probe/classify-probe-failure';
import { redactQuery } from '../probe/container-signature';
import { FfmpegExitError } from '../runner/ffmpeg-errors';
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
export function buildTailDecodeCheckArgs(source: string, durationS: number): string[] {
  const tail = Math.min(TAIL_DECODE_SECONDS, durationS > 0 ? durationS : TAIL_DECODE_SECONDS);
  return [
    ...globalOptions({ logLevel: 'error', progress: true }),
    '-sseof',
    `-${tail}`,
    '-i',
    source,
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
 * does not. Rejects when the source could not be reached at all (retryable).
 */
export async function checkTailDecodes(source: string, durationS: number, signal?: AbortSignal): Promise<string | null> {
  let result;
  try {
    result = await runFfmpeg(buildTailDecodeCheckArgs(source, durationS), { signal });
  } catch (error) {
    // Only ffmpeg failing on the bytes is a verdict; ffmpeg missing, an abort or a dropped connection is not.
    if (!(error instanceof FfmpegExitError) || isInfrastructureFailure(error.stderrTail)) throw error;
    return summarize(error.stderrTail || error.message, source);
  }
  if (isInfrastructureFailure(result.stderr)) throw new Error(`Could not read ${redactQuery(source)}: ${summarize(result.stderr, source)}`);
  if (result.stderr.trim()) return summarize(result.stderr, source);
  if (!result.lastProgress?.frame) return `no frame could be decoded in the last ${TAIL_DECODE_SECONDS} s`;
  return null;
}

/** First error line, without ffmpeg's "[h264 @ 0x55...]" prefix or a presigned URL. */
function summarize(stderr: string, source: string): string {
  const first = stderr.split(/\r?\n/).find((l) => l.trim()) ?? stderr;
  return first
    .split(source)
    .join(redactQuery(source))
    .replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '')
    .trim();
}
