/**
 * Kafka consumer settings for the services the end-to-end tests run (background services, outage
 * replicas). A member that dies without leaving its group (SIGKILL, a broker restart) keeps its
 * partitions until its session times out: 10 s here instead of the product's 30 s, so the jobs it
 * held move on 20 s sooner. Long handlers keep heartbeating (test/messaging exactly-once (g)), so a
 * slow encode is not evicted by the shorter session.
 */
export const FAST_EVICTION_ENV: Record<string, string> = { TF_KAFKA_SESSION_TIMEOUT_MS: '10000' };
