/** What the platform accepts. Every field can be overridden per deployment. */
export interface MediaLimits {
  /** Longest accepted source, in seconds. */
  maxDurationS: number;
  /** Largest accepted upload, in bytes. */
  maxBytes: number;
  /** Largest accepted picture, compared orientation-free: long side against maxLongSide, short side against maxShortSide. */
  maxLongSide: number;
  maxShortSide: number;
}

export const DEFAULT_MEDIA_LIMITS: Readonly<MediaLimits> = Object.freeze({
  maxDurationS: 4 * 60 * 60,
  maxBytes: 10 * 1024 ** 3,
  // 8K UHD (7680x4320); a portrait 4320x7680 phone clip is the same size and also fits.
  maxLongSide: 7680,
  maxShortSide: 4320,
});

export function resolveLimits(overrides: Partial<MediaLimits> = {}): MediaLimits {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_MEDIA_LIMITS, ...defined };
}
