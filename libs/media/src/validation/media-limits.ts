import { EnvNumber, readEnv } from '@tf/config';

/** What the platform accepts. Every field can be overridden per deployment. */
export interface MediaLimits {
  /** Longest accepted source, in seconds. */
  maxDurationS: number;
  /** Largest accepted upload, in bytes. */
  maxBytes: number;
  /** Largest accepted picture, compared orientation-free: long side against maxLongSide, short side against maxShortSide. */
  maxLongSide: number;
  maxShortSide: number;
  /** Long side over short side: beyond it, renditions would be slivers (a 2x4320 source). */
  maxAspectRatio: number;
  /** Frames per second of duration, counted in the file (not read from the header). */
  maxFrameRate: number;
}

export const DEFAULT_MEDIA_LIMITS: Readonly<MediaLimits> = Object.freeze({
  maxDurationS: 4 * 60 * 60,
  maxBytes: 10 * 1024 ** 3,
  // 8K UHD (7680x4320); a portrait 4320x7680 phone clip is the same size and also fits.
  maxLongSide: 7680,
  maxShortSide: 4320,
  maxAspectRatio: 16,
  maxFrameRate: 240,
});

export function resolveLimits(overrides: Partial<MediaLimits> = {}): MediaLimits {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_MEDIA_LIMITS, ...defined };
}

/** The most pixels a decoded frame may have (`-max_pixels`): the largest accepted picture. */
export function maxPixels(limits: MediaLimits): number {
  return limits.maxLongSide * limits.maxShortSide;
}

/** TF_MAX_*: positive numbers; unset, the defaults. */
class MediaLimitsEnv {
  @EnvNumber({ positive: true }) TF_MAX_DURATION_S?: number;
  @EnvNumber({ positive: true }) TF_MAX_UPLOAD_BYTES?: number;
  @EnvNumber({ positive: true }) TF_MAX_LONG_SIDE?: number;
  @EnvNumber({ positive: true }) TF_MAX_SHORT_SIDE?: number;
  @EnvNumber({ positive: true }) TF_MAX_ASPECT_RATIO?: number;
  @EnvNumber({ positive: true }) TF_MAX_FRAME_RATE?: number;
}

/** The limits of this deployment (TF_MAX_*; unset: the defaults). Read here only, by every stage that needs them. */
export function mediaLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): MediaLimits {
  const read = readEnv(MediaLimitsEnv, env);
  return resolveLimits({
    maxDurationS: read.TF_MAX_DURATION_S,
    maxBytes: read.TF_MAX_UPLOAD_BYTES,
    maxLongSide: read.TF_MAX_LONG_SIDE,
    maxShortSide: read.TF_MAX_SHORT_SIDE,
    maxAspectRatio: read.TF_MAX_ASPECT_RATIO,
    maxFrameRate: read.TF_MAX_FRAME_RATE,
  });
}
