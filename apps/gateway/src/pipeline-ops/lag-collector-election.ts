import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/** The session-level advisory lock the replicas compete for (one per database, whatever the schema). */
const LOCK = `hashtext('tf.kafka-lag-collector')`;

/**
 * Elects the one gateway replica that exports the Kafka lag metrics, so that N replicas scraped by
 * Prometheus give one series per group and topic, not N. The holder keeps a Postgres session with
 * `pg_try_advisory_lock`; when it stops or dies, its session ends, Postgres drops the lock and the
 * next replica that asks takes it. Each check of the holder pings its session, so a lost connection
 * is noticed at the next scrape.
 */
export class LagCollectorElection {
  private readonly logger = new Logger(LagCollectorElection.name);
  private client?: Client;
  private leading = false;
  private checking?: Promise<boolean>;

  constructor(private readonly databaseUrl: string) {}

  /** Whether this replica holds the lock now; takes it when it is free. */
  isLeader(): Promise<boolean> {
    this.checking ??= this.check()
      .catch((error: unknown) => {
        this.drop(this.client, error);
        return false;
      })
      .finally(() => (this.checking = undefined));
    return this.checking;
  }

  /** Ends the session, which releases the lock for another replica. */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.leading = false;
    await client?.end().catch(() => undefined);
  }

  private async check(): Promise<boolean> {
    const client = await this.session();
    if (this.leading) {
      await client.query('SELECT 1');
      return true;
    }
    const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${LOCK}) AS locked`);
    this.leading = rows[0].locked;
    if (this.leading) this.logger.log('this replica exports the Kafka lag metrics (advisory lock taken)');
    return this.leading;
  }

  private async session(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ connectionString: this.databaseUrl, keepAlive: true });
    client.on('error', (error) => this.drop(client, error));
    client.on('end', () => this.drop(client));
    this.client = client;
    await client.connect();
    return client;
  }

  private drop(client: Client | undefined, error?: unknown): void {
    if (!client || client !== this.client) return;
    this.client = undefined;
    if (this.leading)
      this.logger.warn(`lost the lag collector's lock session: ${error instanceof Error ? error.message : 'ended'}`);
    this.leading = false;
    client.end().catch(() => undefined);
  }
}
