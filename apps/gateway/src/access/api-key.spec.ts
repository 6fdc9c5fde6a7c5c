import {
  API_KEY_MARKER,
  LOOKUP_PREFIX_LENGTH,
  assertTenantId,
  digestApiKey,
  generateApiKey,
  hasScope,
  hashApiKey,
  keyState,
  parseScopes,
  sameDigest,
} from './api-key';

describe('api keys', () => {
  it('generates distinct tfk_ keys that digest to their prefix and sha256', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a).not.toBe(b);
    expect(a.startsWith(API_KEY_MARKER)).toBe(true);
    expect(a).toMatch(/^tfk_[A-Za-z0-9_-]{43}$/);
    const digest = digestApiKey(a)!;
    expect(digest.prefix).toBe(a.slice(0, LOOKUP_PREFIX_LENGTH));
    expect(digest.hash).toBe(hashApiKey(a));
    expect(digest.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(digest)).not.toContain(a.slice(LOOKUP_PREFIX_LENGTH));
  });

  it('hashes with sha256 (hex)', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it.each([undefined, null, '', 'abc', 'tfk_short', 'Bearer tfk_0123456789abcdefgh', 'tfk_0123456789abcdef!'])(
    'refuses a malformed key %p',
    (raw) => {
      expect(digestApiKey(raw as string | undefined)).toBeNull();
    },
  );

  it('trims surrounding spaces', () => {
    const key = generateApiKey();
    expect(digestApiKey(` ${key} `)?.hash).toBe(hashApiKey(key));
  });

  it('compares digests in constant time and by value', () => {
    const h = hashApiKey('tfk_x');
    expect(sameDigest(h, hashApiKey('tfk_x'))).toBe(true);
    expect(sameDigest(h, hashApiKey('tfk_y'))).toBe(false);
    expect(sameDigest(h, '')).toBe(false);
  });

  it('parses scopes, deduplicates, and refuses unknown or empty lists', () => {
    expect(parseScopes('jobs:read, jobs:write,jobs:read')).toEqual(['jobs:read', 'jobs:write']);
    expect(() => parseScopes('jobs:read,jobs:delete')).toThrow(/jobs:delete/);
    expect(() => parseScopes(' , ')).toThrow(/no scopes/);
  });

  it('lets admin act for every scope', () => {
    expect(hasScope(['admin'], 'jobs:write')).toBe(true);
    expect(hasScope(['jobs:read'], 'jobs:read')).toBe(true);
    expect(hasScope(['jobs:read'], 'jobs:write')).toBe(false);
    // A route any valid key may call (its own session): a key with only jobs:write passes too.
    expect(hasScope(['jobs:write'], 'authenticated')).toBe(true);
    expect(hasScope([], 'authenticated')).toBe(true);
  });
});

describe('tenants and key states', () => {
  it('accepts short printable tenant ids only', () => {
    expect(assertTenantId('acme-1.eu_west')).toBe('acme-1.eu_west');
    for (const bad of ['', ' acme', 'acme corp', '-acme', 'a/b', 'x'.repeat(129)])
      expect(() => assertTenantId(bad)).toThrow(/invalid tenant/);
  });

  it('tells active, expiring (rotated, in its grace period) and revoked keys apart', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    expect(keyState(null, now)).toBe('active');
    expect(keyState(new Date('2026-11-30T12:00:01Z'), now)).toBe('expiring');
    expect(keyState(now, now)).toBe('revoked');
  });
});
