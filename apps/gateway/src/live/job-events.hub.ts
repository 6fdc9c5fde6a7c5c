import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { JOB_EVENTS_CHANNEL, JobNotification } from './job-notification';
import { KeyedListeners } from '../common/keyed-listeners';

export interface JobEventsListener {
  onNotification(notification: JobNotification): void;
  /** The LISTEN connection was lost and is back: notifications may have been missed. */
  onResync(): void;
}

const RECONNECT_DELAY_MS = 1000;

/**
 * One LISTEN connection per gateway process, fanned out in memory to the SSE streams of this
 * process. Whatever replica's tracker commits a change, Postgres delivers its NOTIFY to all.
 */
@Injectable()
export class JobEventsHub implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(JobEventsHub.name);
  private readonly listeners = new KeyedListeners<JobEventsListener>();
  /** Streams of every job of a tenant (the console's jobs list), by tenant id. */
  private readonly tenantListeners = new KeyedListeners<JobEventsListener>();
  private client?: Client;
  private stopped = false;
  private reconnecting?: NodeJS.Timeout;

  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnecting);
    await this.client?.end().catch(() => undefined);
  }

  /** Returns the unsubscribe function. */
  subscribe(jobId: string, listener: JobEventsListener): () => void {
    return this.listeners.add(jobId, listener);
  }

  /** Every change of the tenant's jobs; returns the unsubscribe function. */
  subscribeTenant(tenantId: string, listener: JobEventsListener): () => void {
    return this.tenantListeners.add(tenantId, listener);
  }

  /** For /health: SSE streams of this replica only see changes while the LISTEN connection is up. */
  assertListening(): void {
    if (!this.client) throw new Error(`not listening on ${JOB_EVENTS_CHANNEL}`);
  }

  get subscriberCount(): number {
    return this.listeners.all().length + this.tenantListeners.all().length;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: (this.dataSource.options as { url?: string }).url });
    client.on('notification', (msg) => this.dispatch(msg.payload));
    client.on('error', (e) => this.lost(client, e));
    client.on('end', () => this.lost(client));
    await client.connect();
    await client.query(`LISTEN ${JOB_EVENTS_CHANNEL}`);
    this.client = client;
  }

  private dispatch(payload: string | undefined): void {
    let notification: JobNotification;
    try {
      notification = JSON.parse(payload ?? '') as JobNotification;
    } catch {
      this.logger.warn(`unreadable ${JOB_EVENTS_CHANNEL} payload ignored`);
      return;
    }
    for (const listener of this.listeners.of(notification.job_id)) listener.onNotification(notification);
    if (notification.tenant_id)
      for (const listener of this.tenantListeners.of(notification.tenant_id)) listener.onNotification(notification);
  }

  private lost(client: Client, error?: Error): void {
    if (this.stopped || client !== this.client) return;
    this.client = undefined;
    this.logger.warn(`LISTEN ${JOB_EVENTS_CHANNEL} connection lost${error ? `: ${error.message}` : ''}; reconnecting`);
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.reconnecting = setTimeout(() => {
      this.connect()
        .then(() => {
          this.logger.log(`LISTEN ${JOB_EVENTS_CHANNEL} re-established`);
          for (const listener of [...this.listeners.all(), ...this.tenantListeners.all()]) listener.onResync();
        })
        .catch((e: Error) => {
          this.logger.warn(`LISTEN reconnect failed: ${e.message}`);
          if (!this.stopped) this.scheduleReconnect();
        });
    }, RECONNECT_DELAY_MS);
  }
}
