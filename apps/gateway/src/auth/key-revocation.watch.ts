import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { KeyedListeners } from '../events/keyed-listeners';
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
  private readonly watchers = new KeyedListeners<() => void>();
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
    return this.watchers.add(keyId, onRevoked);
  }

  get watchedKeys(): number {
    return this.watchers.keyCount;
  }

  /** One round: ends the streams of every watched key that was revoked (public for tests). */
  async check(): Promise<void> {
    if (this.checking || this.watchers.keyCount === 0) return;
    this.checking = true;
    try {
      for (const keyId of await this.keys.revokedAmong(this.watchers.keys())) {
        for (const onRevoked of this.watchers.take(keyId)) onRevoked();
      }
    } catch (error) {
      // The next round tries again; a stream is never ended on a failed lookup.
      this.logger.warn(`key revocation check failed: ${(error as Error).message}`);
    } finally {
      this.checking = false;
    }
  }
}
