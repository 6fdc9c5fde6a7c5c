import { DEFAULT_SEGMENT_SECONDS } from '@tf/media';
import { tmpdir } from 'node:os';

/** Deployment settings of the HLS packager (unset: defaults that suit the local stack). */
export class HlsConfig {
  /** Parent of the per-job scratch directories (rendition MP4s + segments). */
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

const num = (value: string | undefined, fallback: number): number => (value ? Number(value) : fallback);

export function hlsConfigFromEnv(env = process.env): HlsConfig {
  return {
    workDir: env.TF_WORK_DIR || tmpdir(),
    segmentSeconds: num(env.TF_HLS_SEGMENT_SECONDS, DEFAULT_SEGMENT_SECONDS),
    publicRead: env.TF_HLS_PUBLIC_READ === 'true',
  };
}
