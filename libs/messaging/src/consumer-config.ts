import { readEnv } from '@tf/config';
import { MessagingEnv } from './messaging.env';

/** How a stage consumes: how many messages at once, and how it stops. */
export interface ConsumerConfig {
  /**
   * Messages handled at the same time by one instance, over all its partitions and keys (jobs).
   * The stage's module sets the default (1–2 for CPU-bound stages, more for I/O-bound ones);
   * TF_CONSUMER_CONCURRENCY overrides it for a deployment.
   */
  concurrency: number;
  /** At SIGTERM, how long running messages may take to finish before they are aborted and handed back. */
  shutdownGraceMs: number;
  /** After the abort, how long the aborted handlers get to stop (kill ffmpeg, clean up) before the group is left anyway. */
  shutdownAbortWaitMs: number;
  /**
   * Longest a fetch waits at the broker for new data (kafkajs maxWaitTimeInMs, whose default is 5 s).
   * New data ends the wait at once; what waits the full time is a partition resumed (priority gate,
   * due retry) or assigned meanwhile: it is fetched only with the next request.
   */
  fetchMaxWaitMs?: number;
}

/**
 * 8 s + 5 s fits inside the 15 s that scripts/services.sh and the test harness wait before SIGKILL
 * (and Kubernetes' default 30 s), leaving time to leave the group and stop the relay.
 */
export const DEFAULT_SHUTDOWN_GRACE_MS = 8_000;
export const DEFAULT_SHUTDOWN_ABORT_WAIT_MS = 5_000;
/** A resumed partition waits at most this long for its next fetch; an idle member sends 5 fetches a second. */
export const DEFAULT_FETCH_MAX_WAIT_MS = 200;

export function consumerConfigFromEnv(defaultConcurrency: number, env = process.env): ConsumerConfig {
  const read = readEnv(MessagingEnv, env);
  return {
    concurrency: read.TF_CONSUMER_CONCURRENCY ?? defaultConcurrency,
    shutdownGraceMs: read.TF_SHUTDOWN_GRACE_MS ?? DEFAULT_SHUTDOWN_GRACE_MS,
    shutdownAbortWaitMs: read.TF_SHUTDOWN_ABORT_WAIT_MS ?? DEFAULT_SHUTDOWN_ABORT_WAIT_MS,
    fetchMaxWaitMs: read.TF_KAFKA_MAX_WAIT_MS ?? DEFAULT_FETCH_MAX_WAIT_MS,
  };
}
