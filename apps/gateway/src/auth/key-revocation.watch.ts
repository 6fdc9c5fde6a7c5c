import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { ApiKeysRepository } from './api-keys.repository';

/** What the watch needs from the key store: which of these keys no longer authenticate. */
export type RevokedKeyLookup = Pick<ApiKeysRepository, 'revokedAmong'>;

/**
 * Ends long-lived streams (SSE, GraphQL subscriptions) whose API key was revoked, or whose rotation
 * grace period ran out, after they were opened. A request is checked once, when it arrives; a stream
 * lives on, so every `keyRecheckMs` this replica asks the shared key table, in one query, which of
 * the keys behind its open streams stopped authenticating. Whichever replica revoked the key, each
 * replica ends its own streams of that key.
 */
@Injectable()
export class KeyRevocationWatch implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(KeyRevocationWatch.name);
  private readonly watchers = new Map<string, Set<() => void>>();
  private timer?: NodeJS.Timeout;
  private checking = false;

  constructor(
    @Inject(ApiKeysRepository) private readonly keys: RevokedKeyLookup,
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'keyRecheckMs'>,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.check(), this.config.keyRecheckMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Calls `onRevoked` once when the key stops authenticating; returns the function that stops watching. */
  watch(keyId: string, onRevoked: () => void): () => void {
    let set = this.watchers.get(keyId);
    if (!set) this.watchers.set(keyId, (set = new Set()));
    set.add(onRevoked);
    return () => {
      set.delete(onRevoked);
      if (set.size === 0 && this.watchers.get(keyId) === set) this.watchers.delete(keyId);
    };
  }

  get watchedKeys(): number {
    return this.watchers.size;
  }

  /** One round: ends the streams of every watched key that was revoked (public for tests). */
  async check(): Promise<void> {
    if (this.checking || this.watchers.size === 0) return;
    this.checking = true;
    try {
      for (const keyId of await this.keys.revokedAmong([...this.watchers.keys()])) {
        const set = this.watchers.get(keyId);
        this.watchers.delete(keyId);
        for (const onRevoked of set ?? []) onRevoked();
      }
    } catch (error) {
      // The next round tries again; a stream is never ended on a failed lookup.
      this.logger.warn(`key revocation check failed: ${(error as Error).message}`);
    } finally {
      this.checking = false;
    }
  }
}
