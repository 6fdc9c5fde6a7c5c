import { MediaProbeError } from '../errors';
import { looksLikeMediaContainer, readHead, redactQuery } from './container-signature';

/** ffprobe messages that mean "I read the bytes and they are not media I can use". */
const UNREADABLE_MEDIA = [
  /Invalid data found when processing input/i,
  /moov atom not found/i,
  /End of file/i,
  /could not find codec parameters/i,
];

/** Messages about reaching the bytes at all; those are never a verdict on the media. */
const INFRASTRUCTURE = [/No such file or directory/i, /Connection refused/i, /Server returned/i, /timed out/i];

/**
 * Decides what an ffprobe failure says about the source. Returns a
 * MediaProbeError (NOT_MEDIA or CORRUPT_MEDIA) when the bytes themselves are at
 * fault, and the original error otherwise, so a missing file or a flaky
 * network stays retryable.
 */
export async function classifyProbeFailure(pathOrUrl: string, error: unknown): Promise<Error> {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof MediaProbeError) return error;
  if (INFRASTRUCTURE.some((re) => re.test(message)) || !UNREADABLE_MEDIA.some((re) => re.test(message))) {
    return error instanceof Error ? error : new Error(message);
  }

  let head: Uint8Array;
  try {
    head = await readHead(pathOrUrl);
  } catch {
    return error instanceof Error ? error : new Error(message);
  }
  const detail = lastMeaningfulLine(message, pathOrUrl);
  return looksLikeMediaContainer(head)
    ? new MediaProbeError('CORRUPT_MEDIA', `The file looks like media but cannot be read: ${detail}`)
    : new MediaProbeError('NOT_MEDIA', `The file is not a recognised media file: ${detail}`);
}

/** ffprobe's last stderr line, without the (possibly presigned) input name. */
function lastMeaningfulLine(message: string, pathOrUrl: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^ffprobe exited with code/.test(l));
  const line = lines[lines.length - 1] ?? message;
  return line.split(pathOrUrl).join(redactQuery(pathOrUrl)).replace(/^\[[^\]]*\]\s*/, '');
}
