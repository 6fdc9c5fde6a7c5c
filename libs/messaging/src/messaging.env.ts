import { EnvInt, EnvString } from '@tf/config';

const DAY_MS = 24 * 3_600_000;

/**
 * Every variable libs/messaging reads, read once through @tf/config's readEnv: a value that does
 * not fit stops start-up naming the variable. Unset: the defaults of the readers that use them.
 */
export class MessagingEnv {
  /** Comma-separated host:port list. */
  @EnvString() TF_KAFKA_BROKERS?: string;
  @EnvString() TF_SCHEMA_REGISTRY_URL?: string;
  /** The group evicts a member silent for this long; heartbeats keep long handlers in. */
  @EnvInt({ min: 1 }) TF_KAFKA_SESSION_TIMEOUT_MS = 30_000;
  /** Longest a fetch waits at the broker for data (kafkajs maxWaitTimeInMs; consumer-config.ts). */
  @EnvInt({ min: 10, max: 30_000 }) TF_KAFKA_MAX_WAIT_MS?: number;

  /** Quick in-process attempts (the first included) and their backoff (retry-policy.ts). */
  @EnvInt({ min: 1 }) TF_RETRY_MAX_ATTEMPTS?: number;
  @EnvInt({ min: 0 }) TF_RETRY_BASE_DELAY_MS?: number;
  @EnvInt({ min: 0 }) TF_RETRY_MAX_DELAY_MS?: number;

  /** Messages handled at once by one instance (consumer-config.ts). */
  @EnvInt({ min: 1 }) TF_CONSUMER_CONCURRENCY?: number;
  @EnvInt({ min: 0 }) TF_SHUTDOWN_GRACE_MS?: number;
  @EnvInt({ min: 0 }) TF_SHUTDOWN_ABORT_WAIT_MS?: number;

  /** Durable retries on delayed topics (retry/durable-retry-config.ts); more levels than 10 nobody waits for. */
  @EnvInt({ min: 0, max: 10 }) TF_DURABLE_RETRIES?: number;
  @EnvInt({ min: 1, max: DAY_MS }) TF_DURABLE_RETRY_FIRST_DELAY_MS?: number;
  @EnvInt({ min: 1, max: DAY_MS }) TF_DURABLE_RETRY_MAX_DELAY_MS?: number;
}
