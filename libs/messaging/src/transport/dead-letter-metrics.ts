import { metricsRegistry } from '@tf/observability';
import { Counter } from 'prom-client';

/** Counted where the message is written to the DLQ (sendToDeadLetter), once Kafka acknowledged it. */
export const deadLettered = new Counter({
  name: 'tf_messages_dead_lettered_total',
  help: 'Messages written to the consumer group dead-letter topic (tf.dlq.<group>), by group and the base topic they came from.',
  labelNames: ['group', 'topic'] as const,
  registers: [metricsRegistry],
});
