import { WebhookDeliveryRecorded, newEnvelope } from '@tf/contracts';
import type { DeliverySnapshot } from './webhook-delivery.repository';

const millis = (d: Date | string): number => new Date(d).getTime();
const millisOrNull = (d: Date | string | null): number | null => (d === null ? null : millis(d));

/** The WebhookDeliveryRecorded event of a delivery snapshot (keyed by the job, like the pipeline events). */
export function deliveryRecordedEvent(s: DeliverySnapshot): WebhookDeliveryRecorded {
  return {
    ...newEnvelope(s.job_id),
    delivery_id: s.id,
    tenant_id: s.tenant_id,
    endpoint_id: s.endpoint_id,
    webhook_event_id: s.event_id,
    event_type: s.event_type,
    url: s.url,
    status: s.status,
    attempts: s.attempts,
    series: s.series,
    version: Number(s.version),
    last_status_code: s.last_status_code,
    last_error: s.last_error,
    next_attempt_at: s.status === 'pending' ? millis(s.next_attempt_at) : null,
    created_at: millis(s.created_at),
    delivered_at: millisOrNull(s.delivered_at),
    attempt_log: s.attempt_log.map((a) => ({
      number: a.attempt,
      series: a.series,
      started_at: millis(a.started_at),
      duration_ms: a.duration_ms,
      status_code: a.status_code,
      error: a.error,
    })),
  };
}
