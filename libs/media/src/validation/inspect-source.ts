import { stat } from 'node:fs/promises';
import { MediaLimitExceededError, MediaProbeError } from '../errors';
import { MediaSource } from '../input/media-source';
import { probeMedia } from '../probe/probe-media';
import { judgeFrameScan, scanFrames } from './frame-scan';
import { type MediaLimits, maxPixels, resolveLimits } from './media-limits';
import { checkTailDecodes } from './tail-decode-check';
import { type SourceVerdict, fileSizeRejection, validateSource } from './validate-source';

export interface InspectSourceOptions {
  limits?: Partial<MediaLimits>;
  /** Size of the source; read from the file system for local paths when omitted. */
  bytes?: number;
  signal?: AbortSignal;
}

/**
 * The validator's whole check: size, probe (header), limits, the frame scan (what is really in the
 * video stream), then the tail decode. Cheap checks come first so an oversized upload is refused before
 * ffprobe ever reads it. Rejects (instead of returning a verdict) only for failures that are not about
 * the media, which are worth retrying; a run over its time or resource budget is a verdict.
 */
export async function inspectSource(
  source: string | MediaSource,
  options: InspectSourceOptions = {},
): Promise<SourceVerdict> {
  const input = MediaSource.of(source);
  const limits = resolveLimits(options.limits);
  const bytes = options.bytes ?? (input.isRemote ? undefined : (await stat(input.location)).size);
  const tooLarge = fileSizeRejection(bytes, limits);
  if (tooLarge) return { ok: false, rejection: tooLarge };

  try {
    let media;
    try {
      media = await probeMedia(input);
    } catch (error) {
      if (error instanceof MediaProbeError) return validateSource(error, limits);
      throw error;
    }

    const verdict = validateSource({ media, bytes }, limits);
    if (!verdict.ok) return verdict;
    const frames = judgeFrameScan(await scanFrames(input, media, limits, options.signal), media, limits);
    if (frames) return { ok: false, rejection: frames };
    const decodeError = await checkTailDecodes(input, media.duration_s, {
      signal: options.signal,
      maxPixels: maxPixels(limits),
    });
    return validateSource({ media, bytes, decodeError }, limits);
  } catch (error) {
    if (error instanceof MediaLimitExceededError) return { ok: false, rejection: error.toRejection() };
    throw error;
  }
}
