import { EnvNumber, readEnv } from '@tf/config';
import { maxPixels, mediaLimitsFromEnv } from '@tf/media';
import { stageEnv } from '@tf/stage';

/** Deployment settings of the transcoder (unset: defaults that suit the local stack). */
export class TranscoderConfig {
  /** Parent of the per-job scratch directories (source copy + outputs); needs room for both (TF_WORK_DIR). */
  workDir!: string;
  /** Largest picture a decoder may produce (-max_pixels): the validator's size limit (TF_MAX_LONG_SIDE x TF_MAX_SHORT_SIDE). */
  maxPixels!: number;
  /** A source longer than this is split into chunks encoded by the whole group (TF_CHUNK_THRESHOLD_SECONDS; 0: never). */
  chunkThresholdS!: number;
  /** The chunks' target length, cut at the source's key frames (TF_CHUNK_TARGET_SECONDS). */
  chunkTargetS!: number;
}

/** The split-and-stitch settings (apps/transcoder/README.md, "Split and stitch"). */
class ChunkingEnv {
  /** Seconds; 0 turns splitting off (every job is one pass). */
  @EnvNumber({ min: 0 }) TF_CHUNK_THRESHOLD_SECONDS = 120;
  /** Seconds, 30-120 in production; tests lower it (at least one 2 s keyframe interval). */
  @EnvNumber({ min: 2, max: 120 }) TF_CHUNK_TARGET_SECONDS = 60;
}

export function transcoderConfigFromEnv(env = process.env): TranscoderConfig {
  const chunking = readEnv(ChunkingEnv, env);
  return {
    workDir: stageEnv(env).TF_WORK_DIR,
    maxPixels: maxPixels(mediaLimitsFromEnv(env)),
    chunkThresholdS: chunking.TF_CHUNK_THRESHOLD_SECONDS,
    chunkTargetS: chunking.TF_CHUNK_TARGET_SECONDS,
  };
}
