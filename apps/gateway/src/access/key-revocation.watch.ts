import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { KeyedListeners } from '../common/keyed-listeners';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
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
  // A failed lookup ends no stream: the next round tries again.
  private readonly task: PeriodicTask;

  constructor(
    @Inject(ApiKeysRepository) private readonly keys: RevokedKeyLookup,
    @Inject(GATEWAY_CONFIG) config: Pick<GatewayConfig, 'keyRecheckMs'>,
  ) {
    this.task = new PeriodicTask('key revocation check', config.keyRecheckMs, () => this.endRevokedStreams(), this.logger);
  }

  onModuleInit(): void {
    this.task.start();
  }

  onModuleDestroy(): void {
    this.task.stop();
  }

  /** Calls `onRevoked` once when the key stops authenticating; returns the function that stops watching. */
  watch(keyId: string, onRevoked: () => void): () => void {
    return this.watchers.add(keyId, onRevoked);
  }

  get watchedKeys(): number {
    return this.watchers.keyCount;
  }

  /** One round now: ends the streams of every watched key that was revoked (public for tests). */
  check(): Promise<void> {
    return this.task.runOnce();
  }

  private async endRevokedStreams(): Promise<void> {
    if (this.watchers.keyCount === 0) return;
    for (const keyId of await this.keys.revokedAmong(this.watchers.keys())) {
      for (const onRevoked of this.watchers.take(keyId)) onRevoked();
    }
  }
}
