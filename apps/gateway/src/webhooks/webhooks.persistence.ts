import { CreateWebhookEndpoints1764483000000 } from './migrations/1764483000000-create-webhook-endpoints';
import { CreateWebhookDeliveriesView1764483000001 } from './migrations/1764483000001-create-webhook-deliveries-view';
import { WebhookDeliveryViewEntity } from './webhook-delivery-view.entity';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

/** Entities and migrations of the webhook API, for the gateway's DataSource (gateway.persistence.ts). */
export const webhookEntities = [WebhookEndpointEntity, WebhookDeliveryViewEntity];
export const webhookMigrations = [CreateWebhookEndpoints1764483000000, CreateWebhookDeliveriesView1764483000001];
