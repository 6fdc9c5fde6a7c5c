import { eventHopDuration } from '@tf/observability';

/**
 * Records one event hop: from the event's occurred_at (epoch ms, set in its producer's transaction) to
 * now, when its handler starts. Clocks of producer and consumer hosts differ by their skew: a hop that
 * looks negative counts as 0. Events without a numeric occurred_at are not counted.
 */
export function observeEventHop(group: string, occurredAt: unknown, now = Date.now()): void {
  if (typeof occurredAt !== 'number' || !Number.isFinite(occurredAt)) return;
  eventHopDuration.observe({ group }, Math.max(0, now - occurredAt) / 1000);
}
