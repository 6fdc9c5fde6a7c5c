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
