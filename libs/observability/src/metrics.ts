import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process, with Node's default metrics, labelled by service. */
export const metricsRegistry = new Registry();
let defaultsOn = false;

export function enableDefaultMetrics(service: string): void {
  if (defaultsOn) return;
  defaultsOn = true;
  metricsRegistry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: metricsRegistry });
}

export const handledMessages = new Counter({
  name: 'tf_messages_handled_total',
  help: 'Kafka messages handled, by topic, consumer group and outcome (ok, retry, dead_lettered).',
  labelNames: ['topic', 'group', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const handlerDuration = new Histogram({
  name: 'tf_message_handler_duration_seconds',
  help: 'Time spent in a message handler, including retries.',
  labelNames: ['topic', 'group'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
  registers: [metricsRegistry],
});

/** One set of bounds for a hop and its consume part, so that their quantiles compare bucket for bucket. */
const EVENT_HOP_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const eventHopDuration = new Histogram({
  name: 'tf_event_hop_seconds',
  help: "Time from an event's occurred_at (its producer's commit) to the start of its handler, per consumer group: outbox relay, Kafka, fetch and the wait for a free slot. First attempts only (a durable retry waits on purpose).",
  labelNames: ['group'] as const,
  buckets: EVENT_HOP_BUCKETS_S,
  registers: [metricsRegistry],
});

/** The part of an event hop from the relay's send: the produce round trip, the fetch, the priority gate, the slot. */
export const eventConsumeDelay = new Histogram({
  name: 'tf_event_consume_delay_seconds',
  help: "Time from an event's Kafka record timestamp (the CreateTime its relay's producer stamps as it sends) to the start of its handler, per consumer group: the produce round trip, the fetch, the priority gate and the wait for a free slot; tf_event_hop_seconds minus this is the outbox relay's part. First attempts only.",
  labelNames: ['group'] as const,
  buckets: EVENT_HOP_BUCKETS_S,
  registers: [metricsRegistry],
});

export const consumerInFlight = new Gauge({
  name: 'tf_consumer_in_flight_messages',
  help: 'Kafka messages being handled at this moment by this instance (bounded by its consumer concurrency), by consumer group.',
  labelNames: ['group'] as const,
  registers: [metricsRegistry],
});

export const directEventsPublished = new Counter({
  name: 'tf_direct_events_published_total',
  help: 'Events published straight to Kafka without the outbox (superseded readings: JobProgress), by event type and outcome (sent, failed: given up, at most once).',
  labelNames: ['type', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const consumerHandedBack = new Counter({
  name: 'tf_consumer_handed_back_total',
  help: 'Messages aborted at shutdown after the grace period and left uncommitted for another member of the group, by consumer group.',
  labelNames: ['group'] as const,
  registers: [metricsRegistry],
});

export const consumerDrainDuration = new Histogram({
  name: 'tf_consumer_drain_duration_seconds',
  help: 'Time a stopping consumer took to finish or hand back its running messages, by consumer group.',
  labelNames: ['group'] as const,
  buckets: [0.1, 0.5, 1, 2, 5, 10, 15, 30, 60],
  registers: [metricsRegistry],
});
