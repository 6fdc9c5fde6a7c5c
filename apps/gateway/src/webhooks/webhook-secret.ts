import { randomBytes } from 'node:crypto';

/** Every signing secret starts with this, so a leaked one is easy to recognise. */
const WEBHOOK_SECRET_MARKER = 'whsec_';

/** 32 random bytes (256 bits), base64url: `whsec_` + 43 characters. */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_MARKER + randomBytes(32).toString('base64url');
}
