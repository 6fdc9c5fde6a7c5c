import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { errorMessage } from '@tf/messaging';
import { NotifiedDrainLoop } from '@tf/persistence';
import { DataSource } from 'typeorm';
import { WEBHOOK_CONFIG, WebhookConfig } from './notifier.config';
import { WebhookDeliveryRecorder } from './webhook-delivery.recorder';
import { WEBHOOK_CHANNEL, WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { webhookDeliveries } from './webhook.metrics';

/**
 * Works due deliveries for the lifetime of the app: woken by NOTIFY when a delivery is created and by a
 * poll (retries come due with no NOTIFY). Each pass claims a batch and attempts it concurrently; a wake-up
 * during a pass schedules one more pass instead of a parallel one.
 */
@Injectable()
export class WebhookDeliveryLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryLoop.name);
  private readonly loop: NotifiedDrainLoop;

  constructor(
    dataSource: DataSource,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly dispatcher: WebhookDispatcher,
    private readonly recorder: WebhookDeliveryRecorder,
    @Inject(WEBHOOK_CONFIG) private readonly config: WebhookConfig,
  ) {
    this.loop = new NotifiedDrainLoop({
      url: (dataSource.options as { url: string }).url,
      channel: WEBHOOK_CHANNEL,
      pollIntervalMs: config.pollIntervalMs,
      drainBatch: () => this.attemptDueBatch(),
      logger: this.logger,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.secretGenerated) {
      this.logger.warn(
        'TF_WEBHOOK_SECRET is unset: job webhooks are signed with a random key of this process only (receivers cannot verify them); `npm run up` sets one',
      );
    }
    await this.loop.start();
    this.logger.log('webhook delivery loop started');
  }

  // Before (not on) shutdown: in-flight attempts still need the DataSource to record their result.
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  wake(): void {
    this.loop.wake();
  }

  /** Claims a batch of due deliveries and attempts them concurrently; returns how many it claimed. */
  private async attemptDueBatch(): Promise<number> {
    const { batchSize, leaseMs, retry } = this.config;
    let abandoned = 0;
    const claimed = await this.deliveries.claimDue(batchSize, leaseMs, retry.maxAttempts, async (tx, ids) => {
      abandoned = ids.length;
      await this.recorder.record(tx, ids);
    });
    // Rows whose last attempt's replica died end here, as given up (counted once the claim committed).
    if (abandoned > 0) webhookDeliveries.inc({ outcome: 'gave_up' }, abandoned);
    // One bad delivery (e.g. recording its result failed) must not stop the others; its lease retries it.
    const results = await Promise.allSettled(claimed.map((d) => this.dispatcher.attempt(d)));
    for (const r of results)
      if (r.status === 'rejected') this.logger.error(`webhook attempt: ${errorMessage(r.reason)}`);
    return claimed.length;
  }
}
