import { eventConsumeDelay, eventHopDuration } from '@tf/observability';

/**
 * Records one event hop: from the event's occurred_at (epoch ms, set in its producer's transaction) to
 * now, when its handler starts; and its consume part, from the Kafka record's timestamp to now: the
 * CreateTime kafkajs stamps as the relay's producer builds its request (a string of epoch ms), so the
 * produce round trip itself counts in the consume part. Clocks of producer and consumer
 * hosts differ by their skew: a hop that looks negative counts as 0. Events without a numeric
 * occurred_at are not counted; a record without a timestamp counts in the hop only.
 */
export function observeEventHop(
  group: string,
  occurredAt: unknown,
  producedAt: string | undefined,
  now = Date.now(),
): void {
  if (typeof occurredAt !== 'number' || !Number.isFinite(occurredAt)) return;
  eventHopDuration.observe({ group }, Math.max(0, now - occurredAt) / 1000);
  const produced = Number(producedAt);
  if (producedAt && Number.isFinite(produced) && produced > 0)
    eventConsumeDelay.observe({ group }, Math.max(0, now - produced) / 1000);
}
