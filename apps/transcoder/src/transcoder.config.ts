import { tmpdir } from 'node:os';

/** Deployment settings of the transcoder (unset: defaults that suit the local stack). */
export class TranscoderConfig {
  /** Parent of the per-job scratch directories (source copy + outputs); needs room for both. */
  workDir!: string;
  /** Minimum time between two JobProgress events of one job (the final 100 % is always sent). */
  progressIntervalMs!: number;
  /** ffmpeg is stopped (and the delivery retried) after this long: a hung encode must not hold the partition forever. */
  ffmpegTimeoutMs!: number;
}

const num = (value: string | undefined, fallback: number): number => (value ? Number(value) : fallback);

export function transcoderConfigFromEnv(env = process.env): TranscoderConfig {
  return {
    workDir: env.TF_WORK_DIR || tmpdir(),
    progressIntervalMs: num(env.TF_PROGRESS_INTERVAL_MS, 2000),
    ffmpegTimeoutMs: num(env.TF_FFMPEG_TIMEOUT_S, 4 * 60 * 60) * 1000,
  };
}
