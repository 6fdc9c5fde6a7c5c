import { metricsRegistry } from '@tf/observability';
import { Gauge, Registry } from 'prom-client';

/** What the outbox gauges read at scrape time (the service's OutboxRelay). */
interface OutboxReadings {
  backlog(): Promise<number>;
  oldestUnsentAgeSeconds(): Promise<number>;
}

/**
 * The service's outbox, read from its table at scrape time: how many rows wait for the relay and how
 * long the oldest has waited (a relay that is stuck or gone shows as an age that grows, even with a
 * small backlog). A reading that fails (database down) shows as -1, so the series never vanishes.
 */
export function registerOutboxGauges(outbox: OutboxReadings, registry: Registry = metricsRegistry): void {
  const gauge = (name: string, help: string, read: () => Promise<number>) => {
    if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(await read().catch(() => -1));
      },
    });
  };
  gauge('tf_outbox_backlog', 'Outbox rows written but not yet published to Kafka.', () => outbox.backlog());
  gauge(
    'tf_outbox_oldest_age_seconds',
    'Age of the oldest outbox row not yet published to Kafka (0 when none waits).',
    () => outbox.oldestUnsentAgeSeconds(),
  );
}
