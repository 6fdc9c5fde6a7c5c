import { MediaLimits } from '@tf/media';

const num = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);

/** Upload limits of this deployment (unset: the media library's defaults). */
export const mediaLimitsFromEnv = (): Partial<MediaLimits> => ({
  maxDurationS: num('TF_MAX_DURATION_S'),
  maxBytes: num('TF_MAX_UPLOAD_BYTES'),
  maxLongSide: num('TF_MAX_LONG_SIDE'),
  maxShortSide: num('TF_MAX_SHORT_SIDE'),
});
