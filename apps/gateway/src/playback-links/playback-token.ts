import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Playback tokens: `{exp}.{sig}` where exp is the expiry in unix seconds and
 * sig = base64url(HMAC-SHA256(secret, "tf-playback:v1:{job_id}:{exp}")) — 43 characters.
 * The token rides in the URL path (/playback/{job_id}/{token}/master.m3u8) so that the relative URIs
 * inside the playlists resolve under it; the job id is signed, so a token opens one job only.
 */
export type TokenCheck = { ok: true; expiresAt: Date } | { ok: false; reason: 'invalid' | 'expired' };

const TOKEN = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

const signature = (secret: string, jobId: string, exp: number): Buffer =>
  createHmac('sha256', secret).update(`tf-playback:v1:${jobId}:${exp}`).digest();

export function signPlaybackToken(secret: string, jobId: string, expiresAt: Date): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return `${exp}.${signature(secret, jobId, exp).toString('base64url')}`;
}

/** Signature first (a forged expiry is "invalid", not "expired"), then the clock. */
export function verifyPlaybackToken(secret: string, jobId: string, token: string, now: Date = new Date()): TokenCheck {
  const match = TOKEN.exec(token);
  if (!match) return { ok: false, reason: 'invalid' };
  const exp = Number(match[1]);
  const given = Buffer.from(match[2], 'base64url');
  const expected = signature(secret, jobId, exp);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  if (exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, expiresAt: new Date(exp * 1000) };
}
