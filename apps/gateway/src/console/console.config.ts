import { EnvInt, EnvString, readEnv } from '@tf/config';
import { isAbsolute, resolve } from 'node:path';

/** Where and what the gateway serves the web console from. */
export interface ConsoleConfig {
  /** The console's listener (TF_CONSOLE_PORT, on TF_HTTP_HOST); 0 turns it off. */
  port: number;
  /** The built console (TF_CONSOLE_DIR, relative to the working directory): index.html and assets/. */
  dir: string;
}

class ConsoleEnv {
  // 18080, not the API's 10080: browsers refuse port 10080 (it is on their list of unsafe ports).
  @EnvInt({ min: 0, max: 65535 }) TF_CONSOLE_PORT = 18080;
  @EnvString() TF_CONSOLE_DIR = 'dist/console';
}

export function consoleConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  const read = readEnv(ConsoleEnv, env);
  const dir = read.TF_CONSOLE_DIR.trim() || 'dist/console';
  return { port: read.TF_CONSOLE_PORT, dir: isAbsolute(dir) ? dir : resolve(process.cwd(), dir) };
}

export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');
