import { maxPixels, mediaLimitsFromEnv } from '@tf/media';
import { tmpdir } from 'node:os';

/** Deployment settings of the transcoder (unset: defaults that suit the local stack). */
export class TranscoderConfig {
  /** Parent of the per-job scratch directories (source copy + outputs); needs room for both. */
  workDir!: string;
  /** Minimum time between two JobProgress events of one job (the final 100 % is always sent). */
  progressIntervalMs!: number;
  /** Largest picture a decoder may produce (-max_pixels): the validator's size limit (TF_MAX_LONG_SIDE x TF_MAX_SHORT_SIDE). */
  maxPixels!: number;
}

const num = (value: string | undefined, fallback: number): number => (value ? Number(value) : fallback);

export function transcoderConfigFromEnv(env = process.env): TranscoderConfig {
  return {
    workDir: env.TF_WORK_DIR || tmpdir(),
    progressIntervalMs: num(env.TF_PROGRESS_INTERVAL_MS, 2000),
    maxPixels: maxPixels(mediaLimitsFromEnv(env)),
  };
}
