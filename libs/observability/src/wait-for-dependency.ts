import { EnvNumber, readEnv } from '@tf/config';
import { Logger } from '@nestjs/common';

export interface WaitOptions {
  /** Give up (and let the start-up fail) after this long; TF_STARTUP_WAIT_S, 300 s by default. */
  timeoutMs?: number;
  firstDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  logger?: Pick<Logger, 'warn' | 'log'>;
}

class StartupEnv {
  /** Seconds a start-up step waits for its server before the start-up fails. */
  @EnvNumber({ min: 0 }) TF_STARTUP_WAIT_S = 300;
}

const startupWaitMs = (): number => readEnv(StartupEnv).TF_STARTUP_WAIT_S * 1000;

/**
 * Runs a start-up step that needs a server (S3, Postgres, Kafka) until it succeeds, waiting with a
 * bounded exponential backoff and a log line per failed try: a service started while that server is
 * down (an outage, a restart in any order) waits for it instead of exiting.
 */
export async function waitForDependency<T>(
  name: string,
  step: () => Promise<T>,
  options: WaitOptions = {},
): Promise<T> {
  const {
    firstDelayMs = 1_000,
    maxDelayMs = 15_000,
    sleep = (ms) => new Promise<void>((r) => setTimeout(r, ms)),
    now = Date.now,
  } = options;
  const logger = options.logger ?? new Logger('Startup');
  const deadline = now() + (options.timeoutMs ?? startupWaitMs());
  for (let attempt = 1, delay = firstDelayMs; ; attempt++, delay = Math.min(maxDelayMs, delay * 2)) {
    try {
      const value = await step();
      if (attempt > 1) logger.log(`${name} is available (after ${attempt} tries)`);
      return value;
    } catch (error) {
      const reason = error instanceof Error ? error.message || error.name : String(error);
      if (now() + delay > deadline) throw error;
      logger.warn(
        `waiting for ${name} (try ${attempt} failed: ${reason.split('\n')[0].slice(0, 200)}); next try in ${Math.round(delay / 1000)} s`,
      );
      await sleep(delay);
    }
  }
}
