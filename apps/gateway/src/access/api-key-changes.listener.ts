import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { metricsRegistry } from '@tf/observability';
import { Client } from 'pg';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { PgListenConnection } from '../common/pg-listen-connection';
import { AuthenticatedKeyCache } from './authenticated-key-cache';

/** Where the api_keys trigger announces a changed key (migration ApiKeyChangeNotify). */
const API_KEY_CHANGES_CHANNEL = 'tf_api_key_changes';

const feedUp = new Gauge({
  name: 'tf_api_key_cache_feed_up',
  help: 'Whether this gateway receives API key changes (its LISTEN connection answers): 0 = its key cache is off, every request asks Postgres.',
  registers: [metricsRegistry],
});

/**
 * This replica's LISTEN on the key changes: each NOTIFY drops that key from the cache; while the
 * connection is down the cache is off (every request asks the database), so a revocation is never
 * missed, only answered more slowly. The connection's liveness checks (PgListenConnection) turn the
 * cache off within seconds of a silently dead connection, not after the cache's TTL.
 */
@Injectable()
export class ApiKeyChangesListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ApiKeyChangesListener.name);
  private readonly connection = new PgListenConnection(
    API_KEY_CHANGES_CHANNEL,
    () => this.createClient(),
    {
      onNotification: (payload) => {
        if (payload) this.cache.invalidate(payload);
        // No id: forget everything, but never turn the cache on (a late notification of a connection already
        // declared lost must not re-enable it while the feed is down).
        else this.cache.invalidateAll();
      },
      onUp: () => this.setFeed(true),
      onDown: () => this.setFeed(false),
    },
    ApiKeyChangesListener.name,
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: AuthenticatedKeyCache,
  ) {}

  async onModuleInit(): Promise<void> {
    // Start-up does not wait for it: the gateway answers meanwhile, from the database.
    await this.connection.start().catch((e: Error) => {
      this.logger.warn(
        `LISTEN ${API_KEY_CHANGES_CHANNEL} failed: ${e.message}; API keys are not cached until it works`,
      );
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.connection.stop();
  }

  /** The LISTEN connection (a seam for the unit test's fake client). */
  protected createClient(): Client {
    return new Client({ connectionString: (this.dataSource.options as { url?: string }).url, keepAlive: true });
  }

  private setFeed(up: boolean): void {
    this.cache.setListening(up);
    feedUp.set(up ? 1 : 0);
  }
}
