import { ConfigError, readEnv } from '@tf/config';
import { MessagingEnv } from '../messaging.env';

/**
 * Durable retries of transient failures (an outage of storage, the database, the broker or the network):
 * after the quick in-process attempts, a message is parked on its group's delayed retry topic of the next
 * level and handled again when due, `firstDelayMs` after the first failure, doubling per level up to
 * `maxDelayMs`. The defaults are the original product's: 3 retries from 5 minutes, capped at 30.
 */
export interface DurableRetryConfig {
  /** Durable retries after the quick attempts; 0 turns them off (a transient failure then fails the job as before). */
  retries: number;
  /** Delay of the first durable retry; each later level doubles it. */
  firstDelayMs: number;
  /** No level waits longer than this. */
  maxDelayMs: number;
}

export const DEFAULT_DURABLE_RETRY_CONFIG: DurableRetryConfig = {
  retries: 3,
  firstDelayMs: 5 * 60_000,
  maxDelayMs: 30 * 60_000,
};

/** Reads TF_DURABLE_RETRIES, TF_DURABLE_RETRY_FIRST_DELAY_MS and TF_DURABLE_RETRY_MAX_DELAY_MS (bounds in MessagingEnv); refuses values that make no sense. */
export function durableRetryConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  fallback = DEFAULT_DURABLE_RETRY_CONFIG,
): DurableRetryConfig {
  const read = readEnv(MessagingEnv, env);
  const config: DurableRetryConfig = {
    retries: read.TF_DURABLE_RETRIES ?? fallback.retries,
    firstDelayMs: read.TF_DURABLE_RETRY_FIRST_DELAY_MS ?? fallback.firstDelayMs,
    maxDelayMs: read.TF_DURABLE_RETRY_MAX_DELAY_MS ?? fallback.maxDelayMs,
  };
  if (config.maxDelayMs < config.firstDelayMs) {
    throw new ConfigError([
      `TF_DURABLE_RETRY_MAX_DELAY_MS (${config.maxDelayMs}) must not be below TF_DURABLE_RETRY_FIRST_DELAY_MS (${config.firstDelayMs})`,
    ]);
  }
  return config;
}
