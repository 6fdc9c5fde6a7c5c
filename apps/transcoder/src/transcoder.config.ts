import { maxPixels, mediaLimitsFromEnv } from '@tf/media';
import { stageEnv } from '@tf/stage';

/** Deployment settings of the transcoder (unset: defaults that suit the local stack). */
export class TranscoderConfig {
  /** Parent of the per-job scratch directories (source copy + outputs); needs room for both (TF_WORK_DIR). */
  workDir!: string;
  /** Largest picture a decoder may produce (-max_pixels): the validator's size limit (TF_MAX_LONG_SIDE x TF_MAX_SHORT_SIDE). */
  maxPixels!: number;
}

export function transcoderConfigFromEnv(env = process.env): TranscoderConfig {
  return { workDir: stageEnv(env).TF_WORK_DIR, maxPixels: maxPixels(mediaLimitsFromEnv(env)) };
}
