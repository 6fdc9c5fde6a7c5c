import type { BucketDecision } from './token-bucket';

/**
 * The RateLimit header fields of draft-ietf-httpapi-ratelimit-headers (the widely implemented
 * RateLimit-Limit / -Remaining / -Reset form, plus RateLimit-Policy), and Retry-After when refused.
 *   RateLimit-Limit      the bucket's capacity (the burst)
 *   RateLimit-Remaining  whole tokens left
 *   RateLimit-Reset      seconds until the bucket is full again
 *   RateLimit-Policy     "<capacity>;w=<seconds to refill a whole bucket>;burst=<capacity>"
 */
export function rateLimitHeaders(d: BucketDecision): Record<string, string> {
  const window = Math.max(1, Math.ceil(d.policy.capacity / d.policy.refillPerSecond));
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(d.policy.capacity),
    'RateLimit-Remaining': String(Math.max(0, d.remaining)),
    'RateLimit-Reset': String(Math.max(0, d.resetSeconds)),
    'RateLimit-Policy': `${d.policy.capacity};w=${window};burst=${d.policy.capacity}`,
  };
  if (!d.allowed) headers['Retry-After'] = String(Math.max(1, d.retryAfterSeconds));
  return headers;
}
