import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { CurrentKey, RequireScope } from '../access/auth.decorators';
import { ApiErrorResponse } from '../http/dto/api-error.dto';
import { DeliveryDto, DeliveryPageDto, RedeliveryAcceptedDto } from './dto/webhook.dto';
import { DeliveryQueryDto } from './dto/webhook-delivery-query.dto';
import { WebhookDeliveriesService } from './webhook-deliveries.service';

/** The tenant's webhook delivery log (endpoints and jobs' own webhook_url) and redelivery. */
@ApiTags('webhooks')
@Controller('api/v1/webhooks/deliveries')
export class WebhookDeliveriesController {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  /** ?job_id=&endpoint_id=&status=&cursor=&limit= ; newest first. */
  @Get()
  @ApiOperation({ summary: "The tenant's webhook deliveries with their attempts, newest first (scope jobs:read)" })
  @ApiResponse({ status: 200, type: DeliveryPageDto })
  @ApiErrorResponse(400, 'INVALID_QUERY, INVALID_STATUS, INVALID_LIMIT, INVALID_CURSOR')
  @RequireScope('jobs:read')
  list(@Query() query: DeliveryQueryDto, @CurrentKey() key: AuthenticatedKey): Promise<DeliveryPageDto> {
    return this.deliveries.list(key.tenantId, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A webhook delivery and its attempts (scope jobs:read)' })
  @ApiResponse({ status: 200, type: DeliveryDto })
  @ApiErrorResponse(404, 'DELIVERY_NOT_FOUND')
  @RequireScope('jobs:read')
  get(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey): Promise<DeliveryDto> {
    return this.deliveries.get(id, key.tenantId);
  }

  /** 202: the notifier starts a new attempt series (same TF-Event-Id); follow it in the log. */
  @Post(':id/redeliver')
  @ApiOperation({ summary: 'Send a delivery again: a new attempt series, same TF-Event-Id (scope jobs:write)' })
  @ApiResponse({ status: 202, type: RedeliveryAcceptedDto })
  @ApiErrorResponse(404, 'DELIVERY_NOT_FOUND')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireScope('jobs:write')
  redeliver(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey): Promise<RedeliveryAcceptedDto> {
    return this.deliveries.redeliver(id, key);
  }
}
