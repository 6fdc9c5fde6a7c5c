import { Module } from '@nestjs/common';
import { MessagingModule, messagingEntities, messagingMigrations } from '@tf/messaging';
import { OpsController } from '@tf/observability';
import { PersistenceModule } from '@tf/persistence';
import { CreateWebhookTables1764600000000 } from './migrations/1764600000000-create-webhook-tables';
import { WEBHOOK_CONFIG, webhookConfigFromEnv } from './notifier.config';
import { WebhookAttempt } from './webhook-attempt.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookDeliveryLoop } from './webhook-delivery.loop';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookEventsHandler } from './webhook-events.handler';
import { WebhookHttpClient } from './webhook-http.client';
import { WebhookNotificationService } from './webhook-notification.service';

@Module({
  imports: [
    PersistenceModule.forRoot({
      schema: 'notifier',
      entities: [...messagingEntities, WebhookDelivery, WebhookAttempt],
      migrations: [...messagingMigrations, CreateWebhookTables1764600000000],
    }),
    MessagingModule.forRoot({ service: 'notifier', groupId: 'tf-notifier', failedStage: 'notify' }),
  ],
  controllers: [WebhookEventsHandler, OpsController],
  providers: [
    { provide: WEBHOOK_CONFIG, useFactory: () => webhookConfigFromEnv() },
    WebhookDeliveryRepository,
    WebhookHttpClient,
    WebhookNotificationService,
    WebhookDispatcher,
    WebhookDeliveryLoop,
  ],
})
export class NotifierModule {}
