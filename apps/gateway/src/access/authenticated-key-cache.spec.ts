import { AuthenticatedKeyCache } from './authenticated-key-cache';
import type { KeyLookup } from './api-keys.service';

const RAW = `tfk_${'a'.repeat(43)}`;
const OTHER = `tfk_${'b'.repeat(43)}`;
const found = (id: string, revokedAt: Date | null = null): KeyLookup => ({
  key: { id, tenantId: 't1', scopes: ['jobs:read'] },
  revokedAt,
});

describe('AuthenticatedKeyCache', () => {
  let now = 1_000_000;
  const cacheOf = (ttlMs = 60_000) => {
    const cache = new AuthenticatedKeyCache({ ttlMs, now: () => now });
    cache.setListening(true);
    return cache;
  };
  beforeEach(() => (now = 1_000_000));

  it('asks the store once, then answers from memory until the TTL ends', async () => {
    const cache = cacheOf();
    const lookup = jest.fn().mockResolvedValue(found('k1'));
    expect(await cache.authenticate(RAW, lookup)).toMatchObject({ id: 'k1' });
    expect(await cache.authenticate(RAW, lookup)).toMatchObject({ id: 'k1' });
    expect(lookup).toHaveBeenCalledTimes(1);
    now += 60_001;
    await cache.authenticate(RAW, lookup);
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('an invalidated key asks the store again at once (a revocation: refused)', async () => {
    const cache = cacheOf();
    const lookup = jest.fn().mockResolvedValueOnce(found('k1')).mockResolvedValue(null);
    await cache.authenticate(RAW, lookup);
    cache.invalidate('k1');
    expect(await cache.authenticate(RAW, lookup)).toBeNull();
    expect(await cache.authenticate(RAW, lookup)).toBeNull();
    expect(lookup).toHaveBeenCalledTimes(3); // refusals are never remembered
  });

  it('invalidating one key keeps the others', async () => {
    const cache = cacheOf();
    const first = jest.fn().mockResolvedValue(found('k1'));
    const second = jest.fn().mockResolvedValue(found('k2'));
    await cache.authenticate(RAW, first);
    await cache.authenticate(OTHER, second);
    cache.invalidate('k1');
    await cache.authenticate(RAW, first);
    await cache.authenticate(OTHER, second);
    expect(first).toHaveBeenCalledTimes(2);
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('a rotated key in its grace period is reused only until its revocation time', async () => {
    const cache = cacheOf();
    const lookup = jest
      .fn()
      .mockResolvedValueOnce(found('k1', new Date(now + 5_000)))
      .mockResolvedValue(null);
    await cache.authenticate(RAW, lookup);
    now += 4_999;
    expect(await cache.authenticate(RAW, lookup)).toMatchObject({ id: 'k1' });
    now += 1;
    expect(await cache.authenticate(RAW, lookup)).toBeNull();
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('does not store a lookup that was in flight when an invalidation came', async () => {
    const cache = cacheOf();
    let answer!: (v: KeyLookup) => void;
    const slow = jest.fn(() => new Promise<KeyLookup>((resolve) => (answer = resolve)));
    const pending = cache.authenticate(RAW, slow);
    cache.invalidate('k1'); // revoked while the (older) row was being read
    answer(found('k1'));
    expect(await pending).toMatchObject({ id: 'k1' }); // that request was already in flight
    const after = jest.fn().mockResolvedValue(null);
    expect(await cache.authenticate(RAW, after)).toBeNull();
    expect(after).toHaveBeenCalledTimes(1);
  });

  it('answers from the store every time while the invalidation feed is down, and starts empty when it is back', async () => {
    const cache = cacheOf();
    const lookup = jest.fn().mockResolvedValue(found('k1'));
    await cache.authenticate(RAW, lookup);
    cache.setListening(false);
    expect(cache.size).toBe(0);
    await cache.authenticate(RAW, lookup);
    await cache.authenticate(RAW, lookup);
    expect(lookup).toHaveBeenCalledTimes(3);
    cache.setListening(true);
    await cache.authenticate(RAW, lookup);
    await cache.authenticate(RAW, lookup);
    expect(lookup).toHaveBeenCalledTimes(4);
  });

  it('TTL 0 turns it off; a malformed key is never stored', async () => {
    const off = cacheOf(0);
    const lookup = jest.fn().mockResolvedValue(found('k1'));
    await off.authenticate(RAW, lookup);
    await off.authenticate(RAW, lookup);
    expect(lookup).toHaveBeenCalledTimes(2);
    const on = cacheOf();
    const malformed = jest.fn().mockResolvedValue(null);
    expect(await on.authenticate('not-a-key', malformed)).toBeNull();
    expect(on.size).toBe(0);
  });

  it('keeps at most maxEntries keys, dropping the oldest', async () => {
    const cache = new AuthenticatedKeyCache({ ttlMs: 60_000, maxEntries: 1, now: () => now });
    cache.setListening(true);
    const first = jest.fn().mockResolvedValue(found('k1'));
    await cache.authenticate(RAW, first);
    await cache.authenticate(OTHER, jest.fn().mockResolvedValue(found('k2')));
    expect(cache.size).toBe(1);
    await cache.authenticate(RAW, first);
    expect(first).toHaveBeenCalledTimes(2);
  });
});
