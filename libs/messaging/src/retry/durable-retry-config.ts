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

export const DEFAULT_DURABLE_RETRY_CONFIG: DurableRetryConfig = { retries: 3, firstDelayMs: 5 * 60_000, maxDelayMs: 30 * 60_000 };

/** More levels would mean more topics per group than anyone waits for (10 levels at 30 min cap is ~4 h). */
const MAX_RETRIES = 10;

/** Reads TF_DURABLE_RETRIES, TF_DURABLE_RETRY_FIRST_DELAY_MS and TF_DURABLE_RETRY_MAX_DELAY_MS; refuses values that make no sense. */
export function durableRetryConfigFromEnv(env: NodeJS.ProcessEnv = process.env, fallback = DEFAULT_DURABLE_RETRY_CONFIG): DurableRetryConfig {
  const read = (name: string, d: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return d;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return value;
  };
  const config: DurableRetryConfig = {
    retries: read('TF_DURABLE_RETRIES', fallback.retries, 0, MAX_RETRIES),
    firstDelayMs: read('TF_DURABLE_RETRY_FIRST_DELAY_MS', fallback.firstDelayMs, 1, 24 * 3_600_000),
    maxDelayMs: read('TF_DURABLE_RETRY_MAX_DELAY_MS', fallback.maxDelayMs, 1, 24 * 3_600_000),
  };
  if (config.maxDelayMs < config.firstDelayMs) {
    throw new Error(`TF_DURABLE_RETRY_MAX_DELAY_MS (${config.maxDelayMs}) must not be below TF_DURABLE_RETRY_FIRST_DELAY_MS (${config.firstDelayMs})`);
  }
  return config;
}
