import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Topics, WebhookDeliveryRecorded } from '@tf/contracts';
import { KafkaAvroContext } from '@tf/messaging';
import { WebhookDeliveriesService } from './webhook-deliveries.service';

/** Projects the notifier's delivery reports into the gateway's delivery log (group tf-gateway-jobs). */
@Controller()
export class WebhookDeliveriesHandler {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  @EventPattern(Topics.WebhookDeliveryRecorded)
  async onDeliveryRecorded(@Payload() event: WebhookDeliveryRecorded, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    await ctx.processOnce((tx) => this.deliveries.project(tx, event));
  }
}
