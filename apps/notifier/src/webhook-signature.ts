import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures, Stripe/Mux style: `TF-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
 * "<t>.<raw body>". Signing the timestamp with the body lets receivers reject replays of old requests.
 * Pure and dependency-free so receivers (and docs/webhooks.md) can copy it as is.
 */
export const SIGNATURE_HEADER = 'TF-Signature';

const hmacHex = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');

/**
 * The TF-Signature header value for `body` sent at `timestamp` (unix seconds). With several secrets
 * (an endpoint inside its rotation grace window: newest first) there is one `v1=` entry per secret,
 * so receivers that know either secret accept the request.
 */
export function signWebhook(secrets: string | readonly string[], timestamp: number, body: string): string {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) throw new Error('signWebhook needs at least one secret');
  return [`t=${timestamp}`, ...list.map((s) => `v1=${hmacHex(s, timestamp, body)}`)].join(',');
}

/**
 * Whether `header` signs `body` with `secret` and its timestamp is within `toleranceS` of now.
 * Several v1 entries are accepted (a sender rotating secrets may sign with both).
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined | null,
  body: string,
  toleranceS = 300,
  nowS = Math.floor(Date.now() / 1000),
): boolean {
  if (!header) return false;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && /^\d+$/.test(value ?? '')) timestamp = Number(value);
    if (key === 'v1' && value) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(nowS - timestamp) > toleranceS) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  // Constant-time comparison, so the check leaks nothing about how much of a forgery matched.
  return signatures.some((s) => {
    const given = Buffer.from(s, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
