import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { JobFailed, Topics, VideoCompleted } from '@tf/contracts';
import { KafkaAvroContext } from '@tf/messaging';
import { EntityManager } from 'typeorm';
import { webhookDeliveries } from './webhook.metrics';
import { QueuedDeliveries, WebhookNotificationService } from './webhook-notification.service';

/**
 * Queues webhooks for a job's own webhook_url and for its tenant's subscribed endpoints; sending
 * happens in WebhookDeliveryLoop, off the consumer.
 */
@Controller()
export class WebhookEventsHandler {
  constructor(private readonly notifications: WebhookNotificationService) {}

  @EventPattern(Topics.VideoCompleted)
  async onVideoCompleted(@Payload() event: VideoCompleted, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    await this.countFailedAtOnce(ctx, (tx) => this.notifications.completed(tx, event));
  }

  @EventPattern(Topics.JobFailed)
  async onJobFailed(@Payload() event: JobFailed, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    // Without the spec neither the tenant nor a webhook_url is known: nobody to tell.
    if (!event.spec) return;
    await this.countFailedAtOnce(ctx, (tx) => this.notifications.failed(tx, event));
  }

  /** A delivery that can never be attempted ends with its creation: counted once its transaction committed. */
  private async countFailedAtOnce(
    ctx: KafkaAvroContext,
    queue: (tx: EntityManager) => Promise<QueuedDeliveries>,
  ): Promise<void> {
    let failedAtOnce = 0;
    await ctx.processOnce(async (tx) => {
      failedAtOnce = (await queue(tx)).failedAtOnce;
    });
    if (failedAtOnce > 0) webhookDeliveries.inc({ outcome: 'failed' }, failedAtOnce);
  }
}
