import { MediaProbeError, type MediaRejection } from '../errors';
import type { MediaInfo } from '../media-info';
import { resolveLimits, type MediaLimits } from './media-limits';

/** Everything known about a source once it has been probed. */
export interface ProbedSource {
  media: MediaInfo;
  /** Size of the upload; omitted when unknown (the size limit is then not checked). */
  bytes?: number;
  /** What the tail decode check reported (see checkTailDecodes); omitted when it was not run. */
  decodeError?: string | null;
}

export type SourceVerdict = { ok: true; media: MediaInfo } | { ok: false; rejection: MediaRejection };

/**
 * Judges a probed source, or the error probing it raised, against the limits.
 * Pure: the I/O happens in probeMedia / checkTailDecodes / inspectSource.
 *
 * Errors that are not MediaProbeError (ffprobe missing, network down) are
 * rethrown: they say nothing about the media, and turning them into a
 * rejection would fail a job that a retry would have saved.
 */
export function validateSource(
  probed: ProbedSource | MediaInfo | Error,
  limits: Partial<MediaLimits> = {},
): SourceVerdict {
  if (probed instanceof MediaProbeError) return reject(probed.toRejection());
  if (probed instanceof Error) throw probed;

  const { media, bytes, decodeError } =
    'media' in probed ? probed : { media: probed, bytes: undefined, decodeError: null };
  const max = resolveLimits(limits);

  const tooLarge = fileSizeRejection(bytes, max);
  if (tooLarge) return reject(tooLarge);
  if (!(media.width > 0 && media.height > 0)) {
    return reject({ code: 'NO_VIDEO_STREAM', message: 'The video stream has no picture size' });
  }
  if (!(media.duration_s > 0)) {
    return reject({ code: 'ZERO_DURATION', message: 'The file has no duration' });
  }
  if (media.duration_s > max.maxDurationS) {
    return reject({
      code: 'DURATION_TOO_LONG',
      message: `The video lasts ${Math.round(media.duration_s)} s; the limit is ${max.maxDurationS} s`,
    });
  }
  const longSide = Math.max(media.display_width, media.display_height);
  const shortSide = Math.min(media.display_width, media.display_height);
  if (longSide > max.maxLongSide || shortSide > max.maxShortSide) {
    return reject({
      code: 'RESOLUTION_TOO_HIGH',
      message: `The video is ${media.display_width}x${media.display_height}; the limit is ${max.maxLongSide}x${max.maxShortSide}`,
    });
  }
  const aspect = aspectRatioRejection(media.display_width, media.display_height, max);
  if (aspect) return reject(aspect);
  if (decodeError) {
    return reject({ code: 'CORRUPT_MEDIA', message: `The file is damaged: ${decodeError}` });
  }
  return { ok: true, media };
}

/** FILE_TOO_LARGE when the size is known and over the limit; checked on its own before probing a huge upload. */
export function fileSizeRejection(bytes: number | undefined, limits: Partial<MediaLimits> = {}): MediaRejection | null {
  const { maxBytes } = resolveLimits(limits);
  if (bytes === undefined || bytes <= maxBytes) return null;
  return {
    code: 'FILE_TOO_LARGE',
    message: `The file is ${formatBytes(bytes)}; the limit is ${formatBytes(maxBytes)}`,
  };
}

/** ASPECT_RATIO_TOO_EXTREME when long side / short side is over the limit (e.g. 2x4320). */
export function aspectRatioRejection(width: number, height: number, limits: MediaLimits): MediaRejection | null {
  const ratio = Math.max(width, height) / Math.max(1, Math.min(width, height));
  if (ratio <= limits.maxAspectRatio) return null;
  return {
    code: 'ASPECT_RATIO_TOO_EXTREME',
    message: `The picture is ${width}x${height}; the longer side may be at most ${limits.maxAspectRatio} times the shorter`,
  };
}

function reject(rejection: MediaRejection): SourceVerdict {
  return { ok: false, rejection };
}

function formatBytes(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  return gib >= 1 ? `${gib.toFixed(2)} GiB` : `${bytes} bytes`;
}
