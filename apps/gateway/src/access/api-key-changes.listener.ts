import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { metricsRegistry } from '@tf/observability';
import { Client } from 'pg';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { AuthenticatedKeyCache } from './authenticated-key-cache';

/** Where the api_keys trigger announces a changed key (migration ApiKeyChangeNotify). */
const API_KEY_CHANGES_CHANNEL = 'tf_api_key_changes';

const RECONNECT_DELAY_MS = 1000;
/**
 * A LISTEN connection only receives, so a peer gone without a FIN or RST (a NAT or firewall dropping the flow, a
 * failed-over database) would look alive for as long as TCP keeps quiet: it is asked `SELECT 1` this often, and
 * taken for lost when the answer does not come within LIVENESS_TIMEOUT_MS.
 */
export const LIVENESS_INTERVAL_MS = 5000;
export const LIVENESS_TIMEOUT_MS = 3000;

const feedUp = new Gauge({
  name: 'tf_api_key_cache_feed_up',
  help: 'Whether this gateway receives API key changes (its LISTEN connection answers): 0 = its key cache is off, every request asks Postgres.',
  registers: [metricsRegistry],
});

/**
 * This replica's LISTEN on the key changes: each NOTIFY drops that key from the cache; while the
 * connection is down the cache is off (every request asks the database), so a revocation is never
 * missed, only answered more slowly. The connection is checked every LIVENESS_INTERVAL_MS (and keeps TCP
 * keep-alive on), so a silently dead one turns the cache off within seconds, not after the cache's TTL.
 */
@Injectable()
export class ApiKeyChangesListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ApiKeyChangesListener.name);
  private client?: Client;
  private stopped = false;
  private reconnecting?: NodeJS.Timeout;
  private checking?: NodeJS.Timeout;

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
    clearInterval(this.checking);
    this.setFeed(false);
    await this.client?.end().catch(() => undefined);
  }

  /** The LISTEN connection (a seam for the unit test's fake client). */
  protected createClient(): Client {
    return new Client({ connectionString: (this.dataSource.options as { url?: string }).url, keepAlive: true });
  }

  private async connect(): Promise<void> {
    const client = this.createClient();
    client.on('notification', (msg) => {
      if (msg.payload) this.cache.invalidate(msg.payload);
      else this.cache.setListening(true); // no id: forget everything
    });
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client));
    await client.connect();
    await client.query(`LISTEN ${API_KEY_CHANGES_CHANNEL}`);
    this.client = client;
    this.setFeed(true);
    clearInterval(this.checking);
    this.checking = setInterval(() => void this.checkAlive(client), LIVENESS_INTERVAL_MS);
  }

  /** A round trip on the LISTEN connection; no answer within LIVENESS_TIMEOUT_MS: the connection is lost. */
  private async checkAlive(client: Client): Promise<void> {
    if (client !== this.client) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer to a liveness check within ${LIVENESS_TIMEOUT_MS} ms`)),
        LIVENESS_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([client.query('SELECT 1'), timeout]);
    } catch (error) {
      this.lost(client, error as Error);
    } finally {
      clearTimeout(timer);
    }
  }

  private setFeed(up: boolean): void {
    this.cache.setListening(up);
    feedUp.set(up ? 1 : 0);
  }

  private lost(client: Client, error?: Error): void {
    if (this.stopped || client !== this.client) return;
    this.client = undefined;
    clearInterval(this.checking);
    this.setFeed(false);
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
