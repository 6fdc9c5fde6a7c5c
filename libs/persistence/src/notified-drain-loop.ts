import { Logger } from '@nestjs/common';
import { Client } from 'pg';

export interface NotifiedDrainLoopOptions {
  /** Postgres connection string for the LISTEN connection. */
  url: string;
  /** NOTIFY channel that signals new work. */
  channel: string;
  /** Fallback poll, for work that comes due without a NOTIFY or a LISTEN connection that dropped. */
  pollIntervalMs: number;
  /** Handles one batch of work; returns how many items it handled (0 ends the pass). */
  drainBatch: () => Promise<number>;
  logger: Logger;
}

/**
 * Drains a Postgres-backed work queue (outbox rows, webhook deliveries) whenever LISTEN/NOTIFY or a
 * poll says there may be work. One pass at a time: a wake-up during a pass schedules exactly one more
 * pass instead of a parallel one, so batches never race each other inside one process.
 */
export class NotifiedDrainLoop {
  private listener?: Client;
  private timer?: NodeJS.Timeout;
  private running = false;
  private draining?: Promise<void>;
  private wakeAgain = false;

  constructor(private readonly options: NotifiedDrainLoopOptions) {}

  async start(): Promise<void> {
    this.running = true;
    this.listener = new Client({ connectionString: this.options.url });
    this.listener.on('notification', () => this.wake());
    this.listener.on('error', (e) => this.options.logger.warn(`LISTEN ${this.options.channel}: ${e.message}`));
    await this.listener.connect();
    await this.listener.query(`LISTEN ${this.options.channel}`);
    this.timer = setInterval(() => this.wake(), this.options.pollIntervalMs);
    this.wake();
  }

  /** Stops waking up and waits for the pass in flight. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    await this.draining?.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
  }

  wake(): void {
    if (!this.running) return;
    if (this.draining) {
      this.wakeAgain = true;
      return;
    }
    this.draining = this.drain()
      .catch((e: unknown) =>
        this.options.logger.error(`${this.options.channel}: ${e instanceof Error ? e.message : String(e)}`),
      )
      .finally(() => {
        this.draining = undefined;
        if (this.wakeAgain) {
          this.wakeAgain = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    while (this.running && (await this.options.drainBatch()) > 0);
  }
}
