import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { JobFailed, Topics, VideoCompleted } from '@tf/contracts';
import { KafkaAvroContext } from '@tf/messaging';
import { WebhookNotificationService } from './webhook-notification.service';

/** Queues a webhook for jobs that asked for one; sending happens in WebhookDeliveryLoop, off the consumer. */
@Controller()
export class WebhookEventsHandler {
  constructor(private readonly notifications: WebhookNotificationService) {}

  @EventPattern(Topics.VideoCompleted)
  async onVideoCompleted(@Payload() event: VideoCompleted, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    const url = event.spec?.webhook_url;
    if (!url) return;
    await ctx.processOnce(async (tx) => void (await this.notifications.completed(tx, event, url)));
  }

  @EventPattern(Topics.JobFailed)
  async onJobFailed(@Payload() event: JobFailed, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    const url = event.spec?.webhook_url;
    if (!url) return;
    await ctx.processOnce(async (tx) => void (await this.notifications.failed(tx, event, url)));
  }
}
