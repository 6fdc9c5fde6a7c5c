import type { EndpointState } from './webhook-endpoints.repository';

/** Where and with which secrets one attempt is sent, or why it cannot be sent at all. */
export type Destination = { url: string; secrets: string[] } | { refused: string };

/** The job's own webhook_url: signed with the notifier's TF_WEBHOOK_SECRET (e.g. a redelivery of one never sendable). */
export function jobUrlDestination(url: string, secret: string): Destination {
  const unusable = unusableUrlReason(url);
  return unusable ? { refused: unusable } : { url, secrets: [secret] };
}

/** Why a webhook_url can never be POSTed to; undefined when it can. */
export function unusableUrlReason(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `INVALID_WEBHOOK_URL: not a URL: ${url}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `INVALID_WEBHOOK_URL: unsupported scheme ${parsed.protocol}`;
  return undefined;
}

/**
 * A tenant endpoint as it is *now*: its current URL and secrets, so retries and redeliveries follow
 * URL changes and rotations. During a rotation's grace window the previous secret signs too (newest
 * first); once the window ended only the current one does. Deleted or disabled endpoints refuse.
 */
export function endpointDestination(endpoint: EndpointState | undefined, now: Date): Destination {
  if (!endpoint || endpoint.deleted) return { refused: 'ENDPOINT_DELETED: the webhook endpoint was deleted' };
  if (!endpoint.enabled) return { refused: 'ENDPOINT_DISABLED: the webhook endpoint is disabled' };
  if (!endpoint.secret) return { refused: 'ENDPOINT_WITHOUT_SECRET: the webhook endpoint has no signing secret' };
  const secrets = [endpoint.secret];
  const expiresAt = endpoint.previousSecretExpiresAt;
  if (endpoint.previousSecret && expiresAt && expiresAt.getTime() > now.getTime())
    secrets.push(endpoint.previousSecret);
  return { url: endpoint.url, secrets };
}
