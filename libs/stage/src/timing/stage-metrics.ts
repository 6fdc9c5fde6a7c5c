import { metricsRegistry } from '@tf/observability';
import { Histogram } from 'prom-client';

/** How a stage's work on one event ended: its output written, or the attempt threw. */
export type StageOutcome = 'ok' | 'failed';

/**
 * From a few ms (the validator's probe, a master playlist rewrite) to an encode of an hour of 4K:
 * one bucket set for every stage, so the stages compare on one panel.
 */
const STAGE_SECONDS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

export const stageQueueWait = new Histogram({
  name: 'tf_stage_queue_wait_seconds',
  help: 'Time from the upstream event being written (its occurred_at) to this stage starting work on it (after any wait for a consumer slot), first deliveries only, by stage.',
  labelNames: ['stage'] as const,
  buckets: STAGE_SECONDS_BUCKETS,
  registers: [metricsRegistry],
});

export const stageDuration = new Histogram({
  name: 'tf_stage_duration_seconds',
  help: 'Time from a stage starting work on an event to its output written (outcome ok) or the attempt failing (outcome failed), by stage.',
  labelNames: ['stage', 'outcome'] as const,
  buckets: STAGE_SECONDS_BUCKETS,
  registers: [metricsRegistry],
});
