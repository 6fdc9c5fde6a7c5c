import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { errorMessage } from '@tf/messaging';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { WEBHOOK_CONFIG, WebhookConfig } from './notifier.config';
import { WebhookDeliveryRecorder } from './webhook-delivery.recorder';
import { WEBHOOK_CHANNEL, WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookDispatcher } from './webhook-dispatcher.service';

/**
 * Works due deliveries for the lifetime of the app: woken by NOTIFY when a delivery is created and by a
 * poll (retries come due with no NOTIFY). Each pass claims a batch and attempts it concurrently; a wake-up
 * during a pass schedules one more pass instead of a parallel one.
 */
@Injectable()
export class WebhookDeliveryLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryLoop.name);
  private listener?: Client;
  private timer?: NodeJS.Timeout;
  private running = false;
  private draining?: Promise<void>;
  private wakeAgain = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly dispatcher: WebhookDispatcher,
    private readonly recorder: WebhookDeliveryRecorder,
    @Inject(WEBHOOK_CONFIG) private readonly config: WebhookConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.usesDevSecret) this.logger.warn('TF_WEBHOOK_SECRET is unset: webhooks are signed with the public dev secret');
    this.running = true;
    await this.listen();
    this.timer = setInterval(() => this.wake(), this.config.pollIntervalMs);
    this.wake();
    this.logger.log('webhook delivery loop started');
  }

  // Before (not on) shutdown: in-flight attempts still need the DataSource to record their result.
  async beforeApplicationShutdown(): Promise<void> {
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
      .catch((e) => this.logger.error(`webhook delivery loop: ${errorMessage(e)}`))
      .finally(() => {
        this.draining = undefined;
        if (this.wakeAgain) {
          this.wakeAgain = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    const { batchSize, leaseMs, retry } = this.config;
    while (this.running) {
      const claimed = await this.deliveries.claimDue(batchSize, leaseMs, retry.maxAttempts, this.recorder.record);
      if (claimed.length === 0) return;
      // One bad delivery (e.g. recording its result failed) must not stop the others; its lease retries it.
      const results = await Promise.allSettled(claimed.map((d) => this.dispatcher.attempt(d)));
      for (const r of results) if (r.status === 'rejected') this.logger.error(`webhook attempt: ${errorMessage(r.reason)}`);
    }
  }

  private async listen(): Promise<void> {
    const url = (this.dataSource.options as { url?: string }).url;
    this.listener = new Client({ connectionString: url });
    this.listener.on('notification', () => this.wake());
    // The poll keeps deliveries going if this connection drops.
    this.listener.on('error', (e) => this.logger.warn(`webhook listener: ${errorMessage(e)}`));
    await this.listener.connect();
    await this.listener.query(`LISTEN ${WEBHOOK_CHANNEL}`);
  }
}
