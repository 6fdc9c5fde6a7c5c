import { metricsRegistry } from '@tf/observability';
import { Counter } from 'prom-client';

/** The outcome of one dead letter's replay: how it went back, or that it did not. */
export type ReplayOutcome = 'job_retried' | 'redelivered' | 'skipped';

const replayed = new Counter({
  name: 'tf_dead_letters_replayed_total',
  help: 'Dead letters an operator replayed (tflow dlq replay), by consumer group and outcome (job_retried, redelivered, skipped: the job moved on or the message cannot go back).',
  labelNames: ['group', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const operatorMetrics = {
  replayed: (group: string, outcome: ReplayOutcome): void => void replayed.inc({ group, outcome }),
};
