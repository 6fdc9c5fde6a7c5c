import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { CurrentKey, RequireScope } from '../access/auth.decorators';
import { RedeliveryAccepted, WebhookDeliveriesService } from './webhook-deliveries.service';
import { DeliveryPage, DeliveryView } from './webhook-views';

/** The tenant's webhook delivery log (endpoints and jobs' own webhook_url) and redelivery. */
@Controller('api/v1/webhooks/deliveries')
export class WebhookDeliveriesController {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  /** ?job_id=&endpoint_id=&status=&cursor=&limit= ; newest first. */
  @Get()
  @RequireScope('jobs:read')
  list(@Query() query: Record<string, unknown>, @CurrentKey() key: AuthenticatedKey): Promise<DeliveryPage> {
    return this.deliveries.list(key.tenantId, query);
  }

  @Get(':id')
  @RequireScope('jobs:read')
  get(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey): Promise<DeliveryView> {
    return this.deliveries.get(id, key.tenantId);
  }

  /** 202: the notifier starts a new attempt series (same TF-Event-Id); follow it in the log. */
  @Post(':id/redeliver')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireScope('jobs:write')
  redeliver(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey): Promise<RedeliveryAccepted> {
    return this.deliveries.redeliver(id, key);
  }
}
