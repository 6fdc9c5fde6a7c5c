import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AuthenticatedKeyCache } from './authenticated-key-cache';

/** Where the api_keys trigger announces a changed key (migration ApiKeyChangeNotify). */
const API_KEY_CHANGES_CHANNEL = 'tf_api_key_changes';

const RECONNECT_DELAY_MS = 1000;

/**
 * This replica's LISTEN on the key changes: each NOTIFY drops that key from the cache; while the
 * connection is down the cache is off (every request asks the database), so a revocation is never
 * missed, only answered more slowly.
 */
@Injectable()
export class ApiKeyChangesListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ApiKeyChangesListener.name);
  private client?: Client;
  private stopped = false;
  private reconnecting?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: AuthenticatedKeyCache,
  ) {}

  async onModuleInit(): Promise<void> {
    // Start-up does not wait for it: the gateway answers meanwhile, from the database.
    await this.connect().catch((e: Error) => {
      this.logger.warn(
        `LISTEN ${API_KEY_CHANGES_CHANNEL} failed: ${e.message}; API keys are not cached until it works`,
      );
      this.scheduleReconnect();
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnecting);
    this.cache.setListening(false);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: (this.dataSource.options as { url?: string }).url });
    client.on('notification', (msg) => {
      if (msg.payload) this.cache.invalidate(msg.payload);
      else this.cache.setListening(true); // no id: forget everything
    });
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client));
    await client.connect();
    await client.query(`LISTEN ${API_KEY_CHANGES_CHANNEL}`);
    this.client = client;
    this.cache.setListening(true);
  }

  private lost(client: Client, error?: Error): void {
    if (this.stopped || client !== this.client) return;
    this.client = undefined;
    this.cache.setListening(false);
    this.logger.warn(
      `LISTEN ${API_KEY_CHANGES_CHANNEL} connection lost${error ? `: ${error.message}` : ''}; API keys are not cached until it is back`,
    );
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.reconnecting = setTimeout(() => {
      this.connect()
        .then(() => this.logger.log(`LISTEN ${API_KEY_CHANGES_CHANNEL} re-established`))
        .catch((e: Error) => {
          this.logger.warn(`LISTEN ${API_KEY_CHANGES_CHANNEL} reconnect failed: ${e.message}`);
          this.scheduleReconnect();
        });
    }, RECONNECT_DELAY_MS);
  }
}
