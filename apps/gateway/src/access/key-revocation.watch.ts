import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ScheduledRound } from '../common/scheduled-round';
import { KeyedListeners } from '../common/keyed-listeners';
import { ACCESS_CONFIG, AccessConfig } from './access.config';
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
export class KeyRevocationWatch implements OnModuleInit {
  private readonly logger = new Logger(KeyRevocationWatch.name);
  private readonly watchers = new KeyedListeners<() => void>();
  // A failed lookup ends no stream: the next round tries again.
  private readonly round = new ScheduledRound('key revocation check', () => this.endRevokedStreams(), this.logger);

  constructor(
    @Inject(ApiKeysRepository) private readonly keys: RevokedKeyLookup,
    @Inject(ACCESS_CONFIG) private readonly config: Pick<AccessConfig, 'keyRecheckMs'>,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onModuleInit(): void {
    this.round.start(this.scheduler, this.config.keyRecheckMs);
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
    return this.round.runOnce();
  }

  private async endRevokedStreams(): Promise<void> {
    if (this.watchers.keyCount === 0) return;
    for (const keyId of await this.keys.revokedAmong(this.watchers.keys())) {
      for (const onRevoked of this.watchers.take(keyId)) onRevoked();
    }
  }
}
