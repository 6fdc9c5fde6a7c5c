import { Injectable } from '@nestjs/common';
import { OutboxWriter } from '@tf/messaging';
import { EntityManager } from 'typeorm';
import { deliveryRecordedEvent } from './webhook-delivery-recorded';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';

/**
 * Tells the gateway (WebhookDeliveryRecorded, through the outbox) what became of deliveries, in the
 * transaction that changed them: the gateway's delivery log is a projection of these events.
 * Deliveries without a tenant (rows from before tenants were recorded) are not reported: no API
 * caller could see them.
 */
@Injectable()
export class WebhookDeliveryRecorder {
  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  readonly record = async (tx: EntityManager, deliveryIds: string[]): Promise<void> => {
    for (const id of deliveryIds) {
      const snapshot = await this.deliveries.snapshot(tx, id);
      if (!snapshot?.tenant_id) continue;
      await this.outbox.append(tx, 'WebhookDeliveryRecorded', deliveryRecordedEvent(snapshot));
    }
  };
}
