import { Module } from '@nestjs/common';
import { messagingEntities, messagingMigrations } from '@tf/messaging';
import { PersistenceModule } from '@tf/persistence';
import { OpsController } from '@tf/runtime';
import { StageModule } from '@tf/stage';
import { CreateWebhookTables1764600000000 } from './migrations/1764600000000-create-webhook-tables';
import { WebhookEndpoints1764683000000 } from './migrations/1764683000000-webhook-endpoints';
import { WebhookDeliveryTrace1764900000000 } from './migrations/1764900000000-webhook-delivery-trace';
import { WEBHOOK_CONFIG, webhookConfigFromEnv } from './notifier.config';
import { WebhookAttempt } from './webhook-attempt.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookDeliveryLoop } from './webhook-delivery.loop';
import { WebhookDeliveryRecorder } from './webhook-delivery.recorder';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEndpointsHandler } from './webhook-endpoints.handler';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookEventsHandler } from './webhook-events.handler';
import { WebhookHttpClient } from './webhook-http.client';
import { WebhookNotificationService } from './webhook-notification.service';

@Module({
  imports: [
    PersistenceModule.forRoot({
      schema: 'notifier',
      entities: [...messagingEntities, WebhookDelivery, WebhookAttempt, WebhookEndpoint],
      migrations: [
        ...messagingMigrations,
        CreateWebhookTables1764600000000,
        WebhookEndpoints1764683000000,
        WebhookDeliveryTrace1764900000000,
      ],
    }),
    StageModule.forRoot({ service: 'notifier', stage: 'notify', concurrency: 4 }),
  ],
  controllers: [WebhookEventsHandler, WebhookEndpointsHandler, OpsController],
  providers: [
    { provide: WEBHOOK_CONFIG, useFactory: () => webhookConfigFromEnv() },
    WebhookDeliveryRepository,
    WebhookEndpointsRepository,
    WebhookDeliveryRecorder,
    WebhookHttpClient,
    WebhookNotificationService,
    WebhookDispatcher,
    WebhookDeliveryLoop,
  ],
})
export class NotifierModule {}
