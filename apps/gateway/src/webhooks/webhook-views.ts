import { ApiError } from '../http/api-error';
import { WebhookDeliveryViewEntity } from './webhook-delivery-view.entity';
import { DeliveryDto, EndpointDto } from './dto/webhook.dto';
import { DeliveryCursor } from './webhook-deliveries.repository';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { isUuid } from './webhook-endpoints.repository';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toEndpointView(e: WebhookEndpointEntity, now: Date): EndpointDto {
  const graceLasts =
    e.previousSecret !== null &&
    e.previousSecretExpiresAt !== null &&
    e.previousSecretExpiresAt.getTime() > now.getTime();
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    enabled: e.enabled,
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
    secret_rotated_at: iso(e.secretRotatedAt),
    previous_secret_expires_at: graceLasts ? iso(e.previousSecretExpiresAt) : null,
  };
}

export function toDeliveryView(d: WebhookDeliveryViewEntity): DeliveryDto {
  return {
    id: d.id,
    job_id: d.jobId,
    event_id: d.eventId,
    event_type: d.eventType,
    endpoint_id: d.endpointId,
    url: d.url,
    status: d.status,
    attempts: d.attempts,
    series: d.series,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    next_attempt_at: iso(d.nextAttemptAt),
    created_at: d.createdAt.toISOString(),
    delivered_at: iso(d.deliveredAt),
    // jsonb keeps keys in its own order; the API lists them as documented.
    attempt_log: d.attemptLog.map(({ number, series, started_at, duration_ms, status_code, error }) => ({
      number,
      series,
      started_at,
      duration_ms,
      status_code,
      error,
    })),
  };
}

/** Opaque to clients: base64url of "<created_at ISO>|<id>" of the page's last item. */
export const encodeCursor = (c: DeliveryCursor): string =>
  Buffer.from(`${c.createdAt.toISOString()}|${c.id}`, 'utf8').toString('base64url');

export function decodeCursor(raw: string): DeliveryCursor {
  const [at, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  // Exactly what encodeCursor wrote: Date also reads years Postgres refuses (e.g. -271821), a 500 there.
  const written = /^\d{4}-/.test(at ?? '') && !Number.isNaN(createdAt.getTime()) && createdAt.toISOString() === at;
  if (!id || !isUuid(id) || !written)
    throw ApiError.badRequest('INVALID_CURSOR', 'cursor is not one this API returned');
  return { createdAt, id };
}
