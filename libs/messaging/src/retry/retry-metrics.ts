import { metricsRegistry } from '@tf/observability';
import { Counter, Gauge } from 'prom-client';

export const retriesScheduled = new Counter({
  name: 'tf_retries_scheduled_total',
  help: 'Messages parked on a delayed retry topic after a transient failure, by consumer group and retry level.',
  labelNames: ['group', 'level'] as const,
  registers: [metricsRegistry],
});

export const retryDueLag = new Counter({
  name: 'tf_retry_due_lag_seconds_total',
  help: 'Sum of the time between a retry falling due and its handling, by consumer group (divide by tf_retries_handled_total).',
  labelNames: ['group'] as const,
  registers: [metricsRegistry],
});

export const retriesHandled = new Counter({
  name: 'tf_retries_handled_total',
  help: 'Retried messages handed to their handler once due, by consumer group and retry level.',
  labelNames: ['group', 'level'] as const,
  registers: [metricsRegistry],
});

/** Messages waiting in a group's retry topics (not yet committed by the group), read from Kafka at scrape time. */
export function registerRetryWaitingGauge(
  read: () => Promise<Array<{ group: string; level: number; waiting: number }>>,
): Gauge {
  const name = 'tf_retry_waiting_messages';
  const existing = metricsRegistry.getSingleMetric(name);
  if (existing) metricsRegistry.removeSingleMetric(name);
  return new Gauge({
    name,
    help: 'Messages waiting in the delayed retry topics, by consumer group and retry level.',
    labelNames: ['group', 'level'] as const,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      for (const { group, level, waiting } of await read().catch(() => []))
        this.set({ group, level: String(level) }, waiting);
    },
  });
}
