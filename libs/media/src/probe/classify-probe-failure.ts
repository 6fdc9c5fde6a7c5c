import { MediaLimitExceededError, MediaProbeError } from '../errors';
import { MediaSource } from '../input/media-source';
import { looksLikeMediaContainer, readHead, redactQuery } from './container-signature';

/** ffprobe messages that mean "I read the bytes and they are not media I can use", most specific first. */
const UNREADABLE_MEDIA = [
  /moov atom not found/i,
  /Invalid data found when processing input/i,
  /End of file/i,
  /could not find codec parameters/i,
  // A demuxer that took the bytes for a stream and reads past their end (e.g. random bytes with an MP3 frame
  // sync at the start): ffprobe ends with a bare "Invalid argument", which alone would look like an I/O fault.
  /Failed to read frame size: Could not seek/i,
];

/** Messages about reaching the bytes at all; those are never a verdict on the media. */
const INFRASTRUCTURE = [
  /No such file or directory/i,
  /Permission denied/i,
  /Connection refused/i,
  /Connection reset/i,
  /Server returned/i,
  /HTTP error 5\d\d/i, // storage failing mid-read (ffmpeg's own line; its final one may be a bare "Invalid argument")
  /timed out/i,
  /Name or service not known/i,
];

/** True when an ffmpeg/ffprobe message says the input could not be reached, as opposed to read. */
export function isInfrastructureFailure(message: string): boolean {
  return INFRASTRUCTURE.some((re) => re.test(message));
}

/**
 * Decides what an ffprobe failure says about the source. Returns a
 * MediaProbeError (NOT_MEDIA or CORRUPT_MEDIA) when the bytes themselves are at
 * fault, and the original error otherwise, so a missing file or a flaky
 * network stays retryable.
 */
export async function classifyProbeFailure(source: string | MediaSource, error: unknown): Promise<Error> {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof MediaProbeError || error instanceof MediaLimitExceededError) return error;
  if (/Format not on whitelist/i.test(message)) {
    // A playlist (HLS, ffconcat, SDP...), an image sequence or a raw stream: ffmpeg recognised it and our whitelist refused it.
    return new MediaProbeError('NOT_MEDIA', 'The file is not in a container format the product accepts');
  }
  if (/Protocol not on whitelist/i.test(message)) {
    return new MediaProbeError('NOT_MEDIA', 'The file refers to other inputs, which the product does not read');
  }
  // ffmpeg names the input as it was given: "file:/tmp/..." or the presigned URL.
  const input = MediaSource.of(source);
  const pathOrUrl = input.location;
  if (isInfrastructureFailure(message) || !UNREADABLE_MEDIA.some((re) => re.test(message))) {
    return error instanceof Error ? error : new Error(message);
  }

  let head: Uint8Array;
  try {
    head = await readHead(pathOrUrl);
  } catch {
    return error instanceof Error ? error : new Error(message);
  }
  // ffprobe's words only help for damaged media; for a text file they ("moov atom not found") would mislead.
  return looksLikeMediaContainer(head)
    ? new MediaProbeError(
        'CORRUPT_MEDIA',
        `The file looks like media but cannot be read: ${mostSpecificLine(message, input.target)}`,
      )
    : new MediaProbeError('NOT_MEDIA', 'The file is not a media file ffmpeg can read');
}

/** The most telling ffprobe line, without the "[mov @ 0x..]" prefix or the input's name (a temp path or a presigned URL). */
function mostSpecificLine(message: string, pathOrUrl: string): string {
  const lines = message.split('\n').map((l) => l.trim());
  const pattern = UNREADABLE_MEDIA.find((re) => lines.some((l) => re.test(l)));
  const line = (pattern && lines.find((l) => pattern.test(l))) ?? message;
  return line
    .replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '')
    .split(`${pathOrUrl}: `)
    .join('')
    .split(pathOrUrl)
    .join(redactQuery(pathOrUrl));
}
