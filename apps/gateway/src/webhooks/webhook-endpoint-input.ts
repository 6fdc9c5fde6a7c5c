import type { EgressPolicy } from '@tf/egress';
import { ApiError } from '../http/api-error';
import type { CreateEndpointDto, RotateSecretDto, UpdateEndpointDto } from './dto/webhook-endpoint-input.dto';
import { assertWebhookUrlAllowed } from './webhook-url-policy';

/** Webhook event types an endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = ['video.completed', 'job.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const MAX_URL_LENGTH = 2048;

export interface EndpointInput {
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
}

export type EndpointPatch = Partial<EndpointInput>;

/** Why a (trimmed) value is no endpoint URL; null when it is one (http(s), no credentials, at most 2048 characters). */
export function webhookUrlProblem(value: unknown): string | null {
  if (typeof value !== 'string' || !value) return 'url must be an http(s) URL';
  if (value.length > MAX_URL_LENGTH) return `url must be at most ${MAX_URL_LENGTH} characters`;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return 'url must be an http(s) URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'url must be an http(s) URL';
  if (parsed.username || parsed.password) return 'url must not carry credentials';
  return null;
}

/** In the documented order, without repeats. */
const eventsOf = (events: readonly string[]): WebhookEventType[] =>
  WEBHOOK_EVENT_TYPES.filter((t) => events.includes(t));

/** The endpoint a validated CreateEndpointDto asks for (its URL checked against the egress policy). */
export function endpointInputOf(body: CreateEndpointDto, egress: EgressPolicy): EndpointInput {
  assertWebhookUrlAllowed(body.url, egress);
  return {
    url: body.url,
    events: body.events === undefined ? [...WEBHOOK_EVENT_TYPES] : eventsOf(body.events),
    enabled: body.enabled ?? true,
  };
}

/** The change a validated UpdateEndpointDto asks for; 400 EMPTY_UPDATE when it names none. */
export function endpointPatchOf(body: UpdateEndpointDto, egress: EgressPolicy): EndpointPatch {
  const patch: EndpointPatch = {};
  if (body.url !== undefined) {
    assertWebhookUrlAllowed(body.url, egress);
    patch.url = body.url;
  }
  if (body.events !== undefined) patch.events = eventsOf(body.events);
  if (body.enabled !== undefined) patch.enabled = body.enabled;
  if (Object.keys(patch).length === 0)
    throw ApiError.badRequest('EMPTY_UPDATE', 'Send at least one of url, events, enabled');
  return patch;
}

/** The grace period a validated RotateSecretDto asks for, or the configured default. */
export const gracePeriodOf = (body: RotateSecretDto, fallbackS: number): number => body.grace_period_s ?? fallbackS;
