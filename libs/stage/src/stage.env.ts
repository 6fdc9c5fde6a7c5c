import { EnvInt, EnvString, readEnv } from '@tf/config';
import { tmpdir } from 'node:os';

/** What every job stage reads, through @tf/config's readEnv (a bad value stops start-up naming it). */
export class StageEnv {
  /** Parent of the per-job scratch directories (withJobWorkDir); the OS temp dir when unset. */
  @EnvString() TF_WORK_DIR: string = tmpdir();
  /** Minimum time between two JobProgress events of one job (the first and the final 100 % always go). */
  @EnvInt({ min: 0 }) TF_PROGRESS_INTERVAL_MS = 2000;
}

export const stageEnv = (env: NodeJS.ProcessEnv = process.env): StageEnv => readEnv(StageEnv, env);
