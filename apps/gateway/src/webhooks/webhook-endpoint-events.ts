import { WebhookEndpointChanged, newEnvelope } from '@tf/contracts';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

export type EndpointChange = 'created' | 'updated' | 'rotated' | 'deleted';

/**
 * The WebhookEndpointChanged of an endpoint's state after `change`: its whole state, keyed by the
 * endpoint id (the envelope's job_id) so the changes of one endpoint stay in order. The previous
 * secret goes along only while its grace window lasts.
 */
export function endpointChangedEvent(
  e: WebhookEndpointEntity,
  change: EndpointChange,
  now: Date,
): WebhookEndpointChanged {
  const graceLasts =
    e.previousSecret !== null &&
    e.previousSecretExpiresAt !== null &&
    e.previousSecretExpiresAt.getTime() > now.getTime();
  return {
    ...newEnvelope(e.id),
    endpoint_id: e.id,
    tenant_id: e.tenantId,
    change,
    version: Number(e.version),
    url: e.url,
    events: e.events,
    enabled: e.enabled,
    secret: e.deletedAt ? null : e.secret,
    previous_secret: graceLasts && !e.deletedAt ? e.previousSecret : null,
    previous_secret_expires_at: graceLasts && !e.deletedAt ? e.previousSecretExpiresAt!.getTime() : null,
    created_at: e.createdAt.getTime(),
  };
}
