import type { EgressPolicy } from '@tf/egress';
import { ApiError } from '../http/api-error';
import { assertWebhookUrlAllowed } from './webhook-url-policy';
import { MAX_ROTATION_GRACE_S } from './webhooks.config';

/** Webhook event types an endpoint can subscribe to. */
const WEBHOOK_EVENT_TYPES = ['video.completed', 'job.failed'] as const;
type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

const MAX_URL_LENGTH = 2048;

export interface EndpointInput {
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
}

export type EndpointPatch = Partial<EndpointInput>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function body(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw ApiError.badRequest('INVALID_BODY', 'The body must be a JSON object');
  return raw;
}

function parseUrl(value: unknown, egress: EgressPolicy): string {
  if (typeof value !== 'string' || !value.trim()) throw ApiError.badRequest('INVALID_WEBHOOK_URL', 'url must be an http(s) URL');
  const url = value.trim();
  if (url.length > MAX_URL_LENGTH) throw ApiError.badRequest('INVALID_WEBHOOK_URL', `url must be at most ${MAX_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw ApiError.badRequest('INVALID_WEBHOOK_URL', 'url must be an http(s) URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw ApiError.badRequest('INVALID_WEBHOOK_URL', 'url must be an http(s) URL');
  if (parsed.username || parsed.password) throw ApiError.badRequest('INVALID_WEBHOOK_URL', 'url must not carry credentials');
  assertWebhookUrlAllowed(url, egress);
  return url;
}

function parseEvents(value: unknown): WebhookEventType[] {
  const known = WEBHOOK_EVENT_TYPES as readonly string[];
  if (!Array.isArray(value) || value.length === 0 || !value.every((e) => typeof e === 'string' && known.includes(e))) {
    throw ApiError.badRequest('INVALID_EVENTS', `events must be a non-empty list of ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  }
  // In the documented order, without repeats.
  return WEBHOOK_EVENT_TYPES.filter((t) => value.includes(t));
}

function parseEnabled(value: unknown): boolean {
  if (typeof value !== 'boolean') throw ApiError.badRequest('INVALID_ENABLED', 'enabled must be true or false');
  return value;
}

/** POST /webhooks/endpoints: `url` required; `events` defaults to every type, `enabled` to true. */
export function parseEndpointInput(raw: unknown, egress: EgressPolicy): EndpointInput {
  const b = body(raw);
  return {
    url: parseUrl(b.url, egress),
    events: b.events === undefined ? [...WEBHOOK_EVENT_TYPES] : parseEvents(b.events),
    enabled: b.enabled === undefined ? true : parseEnabled(b.enabled),
  };
}

/** PATCH /webhooks/endpoints/:id: any of url, events, enabled; at least one. */
export function parseEndpointPatch(raw: unknown, egress: EgressPolicy): EndpointPatch {
  const b = body(raw);
  const patch: EndpointPatch = {};
  if (b.url !== undefined) patch.url = parseUrl(b.url, egress);
  if (b.events !== undefined) patch.events = parseEvents(b.events);
  if (b.enabled !== undefined) patch.enabled = parseEnabled(b.enabled);
  if (Object.keys(patch).length === 0) throw ApiError.badRequest('EMPTY_UPDATE', 'Send at least one of url, events, enabled');
  return patch;
}

/** POST .../rotate-secret: optional `grace_period_s` (0 ends the old secret at once); default from config. */
export function parseGracePeriod(raw: unknown, fallbackS: number): number {
  const value = body(raw).grace_period_s;
  if (value === undefined) return fallbackS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_ROTATION_GRACE_S) {
    throw ApiError.badRequest('INVALID_GRACE_PERIOD', `grace_period_s must be a whole number of seconds in 0..${MAX_ROTATION_GRACE_S}`);
  }
  return value;
}
