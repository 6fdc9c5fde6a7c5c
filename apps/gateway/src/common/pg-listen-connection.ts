import { Logger } from '@nestjs/common';
import { Client } from 'pg';

const RECONNECT_DELAY_MS = 1000;
/**
 * A LISTEN connection only receives, so a peer gone without a FIN or RST (a NAT or firewall dropping the flow, a
 * failed-over database) would look alive for as long as TCP keeps quiet: it is asked `SELECT 1` this often, and
 * taken for lost when the answer does not come within LIVENESS_TIMEOUT_MS.
 */
export const LIVENESS_INTERVAL_MS = 5000;
export const LIVENESS_TIMEOUT_MS = 3000;

/** The application_name of a LISTEN connection on `channel` (a Postgres identifier: no quoting needed). */
const listenApplicationName = (channel: string): string => `listen:${channel}`;

export interface PgListenHandlers {
  /** A NOTIFY on the channel (its payload, '' when it had none). */
  onNotification(payload: string): void;
  /** LISTEN is in place: from now on every NOTIFY arrives (`first`: the first time since start). */
  onUp(first: boolean): void;
  /** The connection is lost (or stopped): notifications may be missed until the next onUp. */
  onDown(): void;
}

/**
 * One replica's LISTEN on one Postgres channel, kept alive: TCP keep-alive, a `SELECT 1` every
 * LIVENESS_INTERVAL_MS (a silently dead connection counts as lost within seconds), and reconnection every
 * second while it is down. The owner (a cache's invalidation feed, the live job fan-out) hears when
 * notifications may have been missed (onDown) and when they flow again (onUp).
 */
export class PgListenConnection {
  private readonly logger: Logger;
  private client?: Client;
  private stopped = false;
  private connectedOnce = false;
  private reconnecting?: NodeJS.Timeout;
  private checking?: NodeJS.Timeout;

  constructor(
    private readonly channel: string,
    private readonly createClient: () => Client,
    private readonly handlers: PgListenHandlers,
    loggerContext: string,
  ) {
    this.logger = new Logger(loggerContext);
  }

  get listening(): boolean {
    return this.client !== undefined;
  }

  /** The first connection; when it fails, reconnection is scheduled and the error rethrown (the owner decides whether start-up waits). */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (e) {
      this.scheduleReconnect();
      throw e;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnecting);
    clearInterval(this.checking);
    const client = this.client;
    this.client = undefined;
    this.handlers.onDown();
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = this.createClient();
    client.on('notification', (msg) => this.handlers.onNotification(msg.payload ?? ''));
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      // Named for operators (pg_stat_activity shows `listen:<channel>`, whatever the connection's last query was: its
      // liveness check's SELECT 1 replaces the LISTEN there), in the same round trip as the LISTEN.
      await client.query(`SET application_name TO '${listenApplicationName(this.channel)}'; LISTEN ${this.channel}`);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    clearInterval(this.checking);
    this.checking = setInterval(() => void this.checkAlive(client), LIVENESS_INTERVAL_MS);
    const first = !this.connectedOnce;
    this.connectedOnce = true;
    this.handlers.onUp(first);
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

  private lost(client: Client, error?: Error): void {
    if (this.stopped || client !== this.client) return;
    this.client = undefined;
    clearInterval(this.checking);
    this.handlers.onDown();
    this.logger.warn(`LISTEN ${this.channel} connection lost${error ? `: ${error.message}` : ''}; reconnecting`);
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    clearTimeout(this.reconnecting);
    this.reconnecting = setTimeout(() => {
      this.connect()
        .then(() => this.logger.log(`LISTEN ${this.channel} re-established`))
        .catch((e: Error) => {
          this.logger.warn(`LISTEN ${this.channel} reconnect failed: ${e.message}`);
          this.scheduleReconnect();
        });
    }, RECONNECT_DELAY_MS);
  }
}
