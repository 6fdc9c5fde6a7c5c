import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every key starts with this, so a leaked one is easy to recognise (secret scanners, logs). */
export const API_KEY_MARKER = 'tfk_';
/** Characters of the key stored in clear to find its row; the rest is only ever stored hashed. */
export const LOOKUP_PREFIX_LENGTH = API_KEY_MARKER.length + 8;

export const SCOPES = ['jobs:read', 'jobs:write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

const KEY_FORMAT = /^tfk_[A-Za-z0-9_-]{16,128}$/;

/** A parsed key: what is stored (prefix, hash) and never the key itself. */
export interface ApiKeyDigest {
  prefix: string;
  hash: string;
}

/** 32 random bytes (256 bits), base64url: `tfk_` + 43 characters. */
export function generateApiKey(): string {
  return API_KEY_MARKER + randomBytes(32).toString('base64url');
}

/** Exactly what generateApiKey makes. */
const GENERATED_KEY_FORMAT = /^tfk_[A-Za-z0-9_-]{43}$/;

/** Keys printed in docs and shipped as defaults by earlier versions: public, so never a working key. */
export const EXAMPLE_API_KEYS: ReadonlySet<string> = new Set(['tfk_local_development_key_0000000000']);

/**
 * 43 random base64url characters have about 31 distinct ones; fewer than this many is a placeholder
 * (`tfk_xxxx…`, `tfk_0000…`, a word repeated), never a generated key.
 */
const MIN_DISTINCT_CHARACTERS = 16;

/**
 * Why `key` cannot be the deployment's admin key (TF_BOOTSTRAP_API_KEY), or undefined: it must look
 * like a generated key and must not be a published example or a placeholder.
 */
export function bootstrapKeyProblem(key: string): string | undefined {
  if (EXAMPLE_API_KEYS.has(key)) return 'is the documented example key, which anyone can read';
  if (!GENERATED_KEY_FORMAT.test(key))
    return 'must be tfk_ followed by 43 base64url characters, as `tflow keys create` or `npm run compose:env` make';
  if (new Set(key.slice(API_KEY_MARKER.length)).size < MIN_DISTINCT_CHARACTERS)
    return 'looks like a placeholder, not a random key';
  return undefined;
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** The prefix and hash of a well-formed key; null for anything else (then no DB lookup is needed). */
export function digestApiKey(raw: string | undefined | null): ApiKeyDigest | null {
  const key = raw?.trim();
  if (!key || !KEY_FORMAT.test(key)) return null;
  return { prefix: key.slice(0, LOOKUP_PREFIX_LENGTH), hash: hashApiKey(key) };
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** "jobs:read,jobs:write" → scopes; unknown names throw, so a typo never grants less (or more) silently. */
export function parseScopes(csv: string): Scope[] {
  const names = csv
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(SCOPES as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`unknown scope(s): ${unknown.join(', ')}; expected ${SCOPES.join(', ')}`);
  if (names.length === 0) throw new Error(`no scopes given; expected some of ${SCOPES.join(', ')}`);
  return [...new Set(names)] as Scope[];
}

/** Tenant ids as keys carry them: short, printable, no spaces (they end up in logs and object metadata). */
export const TENANT_ID_FORMAT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function assertTenantId(tenantId: string): string {
  if (!TENANT_ID_FORMAT.test(tenantId))
    throw new Error(`invalid tenant "${tenantId}": 1..128 of [A-Za-z0-9._-], starting with a letter or digit`);
  return tenantId;
}

/** active: works; expiring: rotated, works until revoked_at; revoked: refused. */
export type KeyState = 'active' | 'expiring' | 'revoked';

export function keyState(revokedAt: Date | null, now: Date = new Date()): KeyState {
  if (!revokedAt) return 'active';
  return revokedAt.getTime() > now.getTime() ? 'expiring' : 'revoked';
}

/** What a route needs: a scope, or `authenticated` (any valid key, whatever its scopes: e.g. reading its own session). */
export const ANY_VALID_KEY = 'authenticated';
export type RouteScope = Scope | typeof ANY_VALID_KEY;

/** admin implies every other scope; `authenticated` needs none. */
export const hasScope = (granted: readonly string[], needed: RouteScope): boolean =>
  needed === ANY_VALID_KEY || granted.includes('admin') || granted.includes(needed);
