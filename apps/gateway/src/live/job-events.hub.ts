import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { metricsRegistry } from '@tf/observability';
import { Client } from 'pg';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { KeyedListeners } from '../common/keyed-listeners';
import { PgListenConnection } from '../common/pg-listen-connection';
import { JobRecordCache } from '../jobs/job-record-cache';
import { JOB_EVENTS_CHANNEL, JobNotification } from './job-notification';

export interface JobEventsListener {
  onNotification(notification: JobNotification): void;
  /** The LISTEN connection was lost and is back: notifications may have been missed. */
  onResync(): void;
}

const feedUp = new Gauge({
  name: 'tf_job_events_feed_up',
  help: 'Whether this gateway receives job changes (its LISTEN tf_job_events connection answers): 0 = its SSE streams and GraphQL subscriptions miss changes until it is back, and its job cache is off.',
  registers: [metricsRegistry],
});

/**
 * One LISTEN connection per gateway process, fanned out in memory to the SSE streams of this
 * process. Whatever replica's tracker commits a change, Postgres delivers its NOTIFY to all. It is
 * also the invalidation feed of the status read's JobRecordCache: a notification drops its job from
 * the cache before any stream hears of it (a stream that reloads the job then reads it anew), and the
 * cache is off while the connection is down (PgListenConnection's liveness checks find a dead one).
 */
@Injectable()
export class JobEventsHub implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(JobEventsHub.name);
  private readonly listeners = new KeyedListeners<JobEventsListener>();
  /** Streams of every job of a tenant (the console's jobs list), by tenant id. */
  private readonly tenantListeners = new KeyedListeners<JobEventsListener>();
  private readonly connection = new PgListenConnection(
    JOB_EVENTS_CHANNEL,
    () => this.createClient(),
    {
      onNotification: (payload) => this.dispatch(payload),
      onUp: (first) => {
        this.jobCache.setListening(true);
        feedUp.set(1);
        if (!first)
          for (const listener of [...this.listeners.all(), ...this.tenantListeners.all()]) listener.onResync();
      },
      onDown: () => {
        this.jobCache.setListening(false);
        feedUp.set(0);
      },
    },
    JobEventsHub.name,
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobCache: JobRecordCache,
  ) {}

  async onModuleInit(): Promise<void> {
    try {
      await this.connection.start();
    } catch (e) {
      await this.connection.stop();
      throw e;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.connection.stop();
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
    if (!this.connection.listening) throw new Error(`not listening on ${JOB_EVENTS_CHANNEL}`);
  }

  get subscriberCount(): number {
    return this.listeners.all().length + this.tenantListeners.all().length;
  }

  /** The LISTEN connection (a seam for the unit test's fake client). */
  protected createClient(): Client {
    return new Client({ connectionString: (this.dataSource.options as { url?: string }).url, keepAlive: true });
  }

  private dispatch(payload: string): void {
    let notification: JobNotification;
    try {
      notification = JSON.parse(payload) as JobNotification;
    } catch {
      this.logger.warn(`unreadable ${JOB_EVENTS_CHANNEL} payload ignored (the job cache is emptied)`);
      this.jobCache.invalidateAll();
      return;
    }
    if (typeof notification?.job_id !== 'string') {
      this.jobCache.invalidateAll();
      return;
    }
    // First: a stream that reloads the job on this notification must not get the cached one.
    this.jobCache.invalidate(notification.job_id);
    for (const listener of this.listeners.of(notification.job_id)) listener.onNotification(notification);
    if (notification.tenant_id)
      for (const listener of this.tenantListeners.of(notification.tenant_id)) listener.onNotification(notification);
  }
}
