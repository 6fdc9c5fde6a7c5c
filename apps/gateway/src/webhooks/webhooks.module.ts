import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { WebhookDeliveriesController } from './webhook-deliveries.controller';
import { WebhookDeliveriesHandler } from './webhook-deliveries.handler';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookEndpointsController } from './webhook-endpoints.controller';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WEBHOOKS_CONFIG, webhooksConfig } from './webhooks.config';

/**
 * Tenant webhook endpoints and the delivery log (docs/webhooks.md). The notifier owns deliveries:
 * this module only talks to it through Kafka (WebhookEndpointChanged / WebhookRedeliveryRequested
 * out, WebhookDeliveryRecorded in). DataSource and OutboxWriter come from the gateway's global modules.
 */
@Module({
  imports: [JobsModule],
  controllers: [WebhookEndpointsController, WebhookDeliveriesController, WebhookDeliveriesHandler],
  providers: [
    { provide: WEBHOOKS_CONFIG, useFactory: () => webhooksConfig() },
    WebhookEndpointsRepository,
    WebhookDeliveriesRepository,
    WebhookEndpointsService,
    WebhookDeliveriesService,
  ],
})
export class WebhooksModule {}
