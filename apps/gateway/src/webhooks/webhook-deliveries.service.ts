import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { WebhookDeliveryRecorded, newEnvelope } from '@tf/contracts';
import { OutboxWriter } from '@tf/messaging';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { ApiError, jobNotFound } from '../http/api-error';
import { JobsRepository } from '../jobs/jobs.repository';
import { deliveryQueryOf } from './webhook-delivery-query';
import type { DeliveryQueryDto } from './dto/webhook-delivery-query.dto';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { endpointNotFound } from './webhook-endpoints.service';
import { DeliveryPageDto, DeliveryDto, RedeliveryAcceptedDto } from './dto/webhook.dto';
import { encodeCursor, toDeliveryView } from './webhook-views';

const deliveryNotFound = (id: string): ApiError => ApiError.notFound('DELIVERY_NOT_FOUND', `No webhook delivery ${id}`);

/**
 * The tenant's delivery log (a projection of the notifier's WebhookDeliveryRecorded events) and
 * redelivery requests (WebhookRedeliveryRequested to the notifier, which owns the deliveries).
 */
@Injectable()
export class WebhookDeliveriesService {
  private readonly logger = new Logger(WebhookDeliveriesService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly jobs: JobsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Newest first. Filtering on another tenant's (or an unknown) job or endpoint is a 404, as reading it would be. */
  async list(tenantId: string, query: DeliveryQueryDto): Promise<DeliveryPageDto> {
    const { filter, cursor, limit } = deliveryQueryOf(query);
    if (filter.endpointId !== undefined && !(await this.endpoints.findForTenant(filter.endpointId, tenantId, true)))
      throw endpointNotFound(filter.endpointId);
    if (
      filter.jobId !== undefined &&
      !(await this.jobs.findForTenant(filter.jobId, tenantId)) &&
      !(await this.deliveries.existsForJob(tenantId, filter.jobId))
    ) {
      throw jobNotFound(filter.jobId);
    }
    const rows = await this.deliveries.list(tenantId, filter, cursor, limit);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toDeliveryView),
      next_cursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
    };
  }

  async get(id: string, tenantId: string): Promise<DeliveryDto> {
    const delivery = await this.deliveries.findForTenant(id, tenantId);
    if (!delivery) throw deliveryNotFound(id);
    return toDeliveryView(delivery);
  }

  /**
   * Asks the notifier for a new attempt series of a delivered or failed delivery (same event id, so
   * receivers can still dedupe). A pending one is still being attempted; an endpoint that was deleted
   * or disabled would refuse it.
   */
  async redeliver(id: string, key: AuthenticatedKey): Promise<RedeliveryAcceptedDto> {
    const delivery = await this.deliveries.findForTenant(id, key.tenantId);
    if (!delivery) throw deliveryNotFound(id);
    if (delivery.status === 'pending')
      throw new ApiError(
        HttpStatus.CONFLICT,
        'DELIVERY_PENDING',
        'The delivery is still being attempted; redeliver it once it was delivered or failed',
      );
    if (delivery.endpointId) {
      const endpoint = await this.endpoints.findForTenant(delivery.endpointId, key.tenantId, true);
      if (!endpoint || endpoint.deletedAt)
        throw new ApiError(
          HttpStatus.CONFLICT,
          'ENDPOINT_DELETED',
          `Webhook endpoint ${delivery.endpointId} was deleted`,
        );
      if (!endpoint.enabled)
        throw new ApiError(
          HttpStatus.CONFLICT,
          'ENDPOINT_DISABLED',
          `Webhook endpoint ${delivery.endpointId} is disabled`,
        );
    }
    const request = {
      ...newEnvelope(delivery.jobId),
      delivery_id: delivery.id,
      tenant_id: key.tenantId,
      requested_by: key.id,
    };
    await this.dataSource.transaction((tx) => this.outbox.append(tx, 'WebhookRedeliveryRequested', request));
    this.logger.log(`redelivery of webhook delivery ${delivery.id} (job ${delivery.jobId}) requested by key ${key.id}`);
    return { delivery_id: delivery.id, request_id: request.event_id, status: 'redelivery_requested' };
  }

  /** Kafka: keeps the log in step with the notifier. Deliveries without a tenant are nobody's to show. */
  async project(tx: EntityManager, event: WebhookDeliveryRecorded): Promise<void> {
    const tenantId = event.tenant_id;
    if (!tenantId) return;
    await this.deliveries.project(tx, { ...event, tenant_id: tenantId });
  }
}
