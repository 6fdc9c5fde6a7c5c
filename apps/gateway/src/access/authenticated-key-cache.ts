import { metricsRegistry } from '@tf/observability';
import { Counter } from 'prom-client';
import { digestApiKey } from './api-key';
import type { AuthenticatedKey, KeyLookup } from './api-keys.service';

const lookups = new Counter({
  name: 'tf_api_key_cache_lookups_total',
  help: 'API key authentications of /api requests by where the answer came from: hit (this process), miss (the database), off (cache disabled or its invalidation feed down).',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

export interface AuthenticatedKeyCacheOptions {
  /** How long an answer is reused at most (0: never; every request asks the database). */
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  key: AuthenticatedKey;
  /** The earlier of the entry's end of life and the key's revocation time. */
  validUntil: number;
}

/**
 * Authenticated API keys remembered in this process, so that a request does not ask Postgres who its
 * key is. Only answers that authenticate are kept (by the key's hash); an unknown key always asks.
 * Revocation stays immediate: every write to gateway.api_keys NOTIFYs its id (a trigger), and each
 * replica's ApiKeyChangesListener calls `invalidate`. The cache answers only while that feed is up
 * (`setListening`): with the LISTEN connection lost it is emptied and every request asks the database.
 * A lookup that was in flight when an invalidation came is not stored (the generation changed), so a
 * read from before a revocation can never be cached after it.
 */
export class AuthenticatedKeyCache {
  private readonly byHash = new Map<string, Entry>();
  private readonly hashById = new Map<string, string>();
  private generation = 0;
  private listening = false;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly options: AuthenticatedKeyCacheOptions) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The key's identity (null: malformed, unknown or revoked), from memory when it can be trusted. */
  async authenticate(
    raw: string | undefined,
    lookup: () => Promise<KeyLookup | null>,
  ): Promise<AuthenticatedKey | null> {
    const enabled = this.listening && this.options.ttlMs > 0;
    const hash = enabled ? digestApiKey(raw)?.hash : undefined;
    if (hash) {
      const entry = this.byHash.get(hash);
      if (entry && entry.validUntil > this.now()) {
        lookups.inc({ result: 'hit' });
        return entry.key;
      }
      if (entry) this.forget(hash, entry.key.id);
    }
    lookups.inc({ result: enabled ? 'miss' : 'off' });
    const generation = this.generation;
    const found = await lookup();
    if (found && hash && generation === this.generation && this.listening) this.store(hash, found);
    return found?.key ?? null;
  }

  /** A key changed (revoked, rotated, limits, deleted): its next request asks the database. */
  invalidate(keyId: string): void {
    this.generation++;
    const hash = this.hashById.get(keyId);
    if (hash) this.forget(hash, keyId);
  }

  /** Forget every key (a notification without an id may concern any); whether the cache answers stays as it is. */
  invalidateAll(): void {
    this.generation++;
    this.byHash.clear();
    this.hashById.clear();
  }

  /** Whether invalidations arrive; either way the cache starts empty (changes may have been missed). */
  setListening(listening: boolean): void {
    this.listening = listening;
    this.invalidateAll();
  }

  private store(hash: string, { key, revokedAt }: KeyLookup): void {
    const validUntil = Math.min(this.now() + this.options.ttlMs, revokedAt ? revokedAt.getTime() : Infinity);
    this.byHash.set(hash, { key, validUntil });
    this.hashById.set(key.id, hash);
    if (this.byHash.size > this.maxEntries) {
      const [oldest, entry] = this.byHash.entries().next().value!;
      this.forget(oldest, entry.key.id);
    }
  }

  private forget(hash: string, keyId: string): void {
    this.byHash.delete(hash);
    if (this.hashById.get(keyId) === hash) this.hashById.delete(keyId);
  }
}
