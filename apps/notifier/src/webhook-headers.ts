import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';

const WEBHOOK_USER_AGENT = 'TranscodeFlow-Webhooks/1';

/**
 * Headers of one attempt. The signature timestamp is the attempt's own time (a retry is re-signed),
 * so receivers can reject replays; the event id stays the same across retries so they can dedupe.
 */
export function webhookHeaders(
  secrets: string | readonly string[],
  eventId: string,
  body: string,
  nowS = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': WEBHOOK_USER_AGENT,
    'TF-Event-Id': eventId,
    'Idempotency-Key': eventId,
    [SIGNATURE_HEADER]: signWebhook(secrets, nowS, body),
  };
}
