import { EnvInt, EnvString, readEnv } from '@tf/config';

/** What bootstrapService itself reads. */
export class RuntimeEnv {
  /** Overrides the app's port (0: any free port, as tests use). */
  @EnvInt({ min: 0, max: 65_535 }) TF_HTTP_PORT?: number;
  @EnvString() TF_HTTP_HOST = '127.0.0.1';
}

export const runtimeEnv = (env: NodeJS.ProcessEnv = process.env): RuntimeEnv => readEnv(RuntimeEnv, env);
