import { EnvBool, EnvInt, readEnv } from '@tf/config';
import { DEFAULT_SEGMENT_SECONDS } from '@tf/media';
import { stageEnv } from '@tf/stage';

/** Deployment settings of the HLS packager (unset: defaults that suit the local stack). */
export class HlsConfig {
  /** Parent of the per-job scratch directories (rendition MP4s + segments; TF_WORK_DIR). */
  workDir!: string;
  /** Target segment length; a multiple of the renditions' 2 s keyframe interval. */
  segmentSeconds!: number;
  /**
   * Whether hls-streams is an anonymously readable origin (players and CDNs fetch relative segment
   * URIs, which can't carry per-object signatures). Off by default: playback goes through the
   * gateway's signed playback URLs; the local stack turns it on for plain-HTTP checks.
   */
  publicRead!: boolean;
}

class HlsEnv {
  @EnvInt({ min: 1 }) TF_HLS_SEGMENT_SECONDS = DEFAULT_SEGMENT_SECONDS;
  @EnvBool() TF_HLS_PUBLIC_READ = false;
}

export function hlsConfigFromEnv(env = process.env): HlsConfig {
  const read = readEnv(HlsEnv, env);
  return {
    workDir: stageEnv(env).TF_WORK_DIR,
    segmentSeconds: read.TF_HLS_SEGMENT_SECONDS,
    publicRead: read.TF_HLS_PUBLIC_READ,
  };
}
