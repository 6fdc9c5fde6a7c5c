import { metricsRegistry } from '@tf/observability';
import { Counter, Histogram } from 'prom-client';

export const webhookAttempts = new Counter({
  name: 'tf_webhook_attempts_total',
  help: 'Webhook POST attempts, by outcome of the delivery after the attempt (delivered, retry, failed).',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const webhookAttemptDuration = new Histogram({
  name: 'tf_webhook_attempt_duration_seconds',
  help: 'Time of one webhook POST, until the response body was read or the attempt gave up.',
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

/**
 * How a delivery's attempt series ended (each series counts once; a redelivery starts a new one):
 * `delivered` (a 2xx), `failed` (ended at once, retrying could not help: the endpoint was deleted or
 * disabled, the destination is forbidden), `gave_up` (every attempt of the retry policy failed).
 */
export const webhookDeliveries = new Counter({
  name: 'tf_webhook_deliveries_total',
  help: 'Webhook deliveries ended, by outcome (delivered; failed: refused without retrying; gave_up: every attempt failed).',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});
