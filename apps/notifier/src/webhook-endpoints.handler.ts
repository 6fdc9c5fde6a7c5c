import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Topics, WebhookEndpointChanged, WebhookRedeliveryRequested } from '@tf/contracts';
import { KafkaAvroContext } from '@tf/messaging';
import { WebhookDeliveryRecorder } from './webhook-delivery.recorder';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';

/**
 * What the gateway's webhook API asks of the notifier: endpoint state to project
 * (WebhookEndpointChanged) and redeliveries (WebhookRedeliveryRequested).
 */
@Controller()
export class WebhookEndpointsHandler {
  private readonly logger = new Logger(WebhookEndpointsHandler.name);

  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly recorder: WebhookDeliveryRecorder,
  ) {}

  @EventPattern(Topics.WebhookEndpointChanged)
  async onEndpointChanged(@Payload() event: WebhookEndpointChanged, @Ctx() ctx: KafkaAvroContext): Promise<void> {
    await ctx.processOnce(async (tx) => {
      const applied = await this.endpoints.apply(tx, event);
      // Never log secrets: ids, change and version only.
      const what = `webhook endpoint ${event.endpoint_id} (tenant ${event.tenant_id}) ${event.change} v${event.version}`;
      if (applied) this.logger.log(what);
      else this.logger.log(`${what}: not newer than the projection; ignored`);
    });
  }

  /** A new attempt series of a delivered or failed delivery: new attempt rows, the same event id. */
  @EventPattern(Topics.WebhookRedeliveryRequested)
  async onRedeliveryRequested(
    @Payload() event: WebhookRedeliveryRequested,
    @Ctx() ctx: KafkaAvroContext,
  ): Promise<void> {
    await ctx.processOnce(async (tx) => {
      const result = await this.deliveries.startNewSeries(tx, event.delivery_id, event.tenant_id);
      const what = `redelivery of webhook delivery ${event.delivery_id} (tenant ${event.tenant_id}, requested by ${event.requested_by ?? 'unknown'})`;
      if (result === 'started') {
        await this.recorder.record(tx, [event.delivery_id]);
        this.logger.log(`${what}: new attempt series queued`);
      } else if (result === 'pending') this.logger.log(`${what}: still pending; nothing to do`);
      else this.logger.warn(`${what}: no such delivery for the tenant; ignored`);
    });
  }
}
