import { stat } from 'node:fs/promises';
import { MediaProbeError } from '../errors';
import { probeMedia } from '../probe/probe-media';
import { type MediaLimits, resolveLimits } from './media-limits';
import { checkTailDecodes } from './tail-decode-check';
import { type SourceVerdict, fileSizeRejection, validateSource } from './validate-source';

export interface InspectSourceOptions {
  limits?: Partial<MediaLimits>;
  /** Size of the source; read from the file system for local paths when omitted. */
  bytes?: number;
  signal?: AbortSignal;
}

/**
 * The validator's whole check: size, probe, limits, then the tail decode.
 * Cheap checks come first so an oversized upload is refused before ffprobe
 * ever reads it. Rejects (instead of returning a verdict) only for failures
 * that are not about the media, which are worth retrying.
 */
export async function inspectSource(source: string, options: InspectSourceOptions = {}): Promise<SourceVerdict> {
  const limits = resolveLimits(options.limits);
  const bytes = options.bytes ?? (await localFileSize(source));
  const tooLarge = fileSizeRejection(bytes, limits);
  if (tooLarge) return { ok: false, rejection: tooLarge };

  let media;
  try {
    media = await probeMedia(source);
  } catch (error) {
    if (error instanceof MediaProbeError) return validateSource(error, limits);
    throw error;
  }

  const verdict = validateSource({ media, bytes }, limits);
  if (!verdict.ok) return verdict;
  const decodeError = await checkTailDecodes(source, media.duration_s, options.signal);
  return validateSource({ media, bytes, decodeError }, limits);
}

async function localFileSize(source: string): Promise<number | undefined> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return undefined;
  return (await stat(source)).size;
}
