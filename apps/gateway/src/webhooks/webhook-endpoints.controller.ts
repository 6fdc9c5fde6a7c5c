import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import { CreateEndpointDto, RotateSecretDto, UpdateEndpointDto } from './dto/webhook-endpoint-input.dto';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { CurrentKey, RequireScope } from '../access/auth.decorators';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { ApiErrorResponse } from '../http/dto/api-error.dto';
import { EndpointDto, EndpointListDto, EndpointWithSecretDto } from './dto/webhook.dto';

/**
 * A tenant's webhook endpoints. Managing them needs `admin`: an endpoint receives the events of every
 * job of the tenant, whichever key submitted it, and its secret is a credential. Reading needs jobs:read.
 */
@ApiTags('webhooks')
@Controller('api/v1/webhooks/endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  /** `{url, events?, enabled?}` → 201 with the secret, shown this once. */
  @Post()
  @ApiOperation({ summary: 'Register a webhook endpoint; the answer shows its whsec_ secret once (scope admin)' })
  @ApiBody({ type: CreateEndpointDto })
  @ApiResponse({ status: 201, type: EndpointWithSecretDto })
  @ApiErrorResponse(400, 'INVALID_BODY, INVALID_WEBHOOK_URL, WEBHOOK_URL_FORBIDDEN, INVALID_EVENTS, INVALID_ENABLED')
  @RequireScope('admin')
  create(@Body() body: CreateEndpointDto, @CurrentKey() key: AuthenticatedKey): Promise<EndpointWithSecretDto> {
    return this.endpoints.create(key.tenantId, body);
  }

  @Get()
  @ApiOperation({ summary: "The tenant's webhook endpoints (scope jobs:read)" })
  @ApiResponse({ status: 200, type: EndpointListDto })
  @RequireScope('jobs:read')
  list(@CurrentKey() key: AuthenticatedKey): Promise<EndpointListDto> {
    return this.endpoints.list(key.tenantId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A webhook endpoint (scope jobs:read)' })
  @ApiResponse({ status: 200, type: EndpointDto })
  @ApiErrorResponse(404, 'ENDPOINT_NOT_FOUND')
  @RequireScope('jobs:read')
  get(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey): Promise<EndpointDto> {
    return this.endpoints.get(id, key.tenantId);
  }

  /** Any of `{url, events, enabled}`. */
  @Patch(':id')
  @ApiOperation({ summary: "Change a webhook endpoint's url, events or enabled (scope admin)" })
  @ApiBody({ type: UpdateEndpointDto, required: false })
  @ApiResponse({ status: 200, type: EndpointDto })
  @ApiErrorResponse(
    400,
    'INVALID_BODY, EMPTY_UPDATE, INVALID_WEBHOOK_URL, WEBHOOK_URL_FORBIDDEN, INVALID_EVENTS, INVALID_ENABLED',
  )
  @ApiErrorResponse(404, 'ENDPOINT_NOT_FOUND')
  @RequireScope('admin')
  update(
    @Param('id') id: string,
    @Body() body: UpdateEndpointDto,
    @CurrentKey() key: AuthenticatedKey,
  ): Promise<EndpointDto> {
    return this.endpoints.update(id, key.tenantId, body);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Remove a webhook endpoint (scope admin)' })
  @ApiResponse({ status: 204, description: 'Removed' })
  @ApiErrorResponse(404, 'ENDPOINT_NOT_FOUND')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequireScope('admin')
  async remove(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey): Promise<void> {
    await this.endpoints.remove(id, key.tenantId);
  }

  /** `{grace_period_s?}` → the new secret, shown this once; the old one signs too until the grace period ends. */
  @Post(':id/rotate-secret')
  @ApiOperation({
    summary: 'A new signing secret, shown once; the old one signs too until the grace period ends (scope admin)',
  })
  @ApiBody({ type: RotateSecretDto, required: false })
  @ApiResponse({ status: 200, type: EndpointWithSecretDto })
  @ApiErrorResponse(400, 'INVALID_GRACE_PERIOD')
  @ApiErrorResponse(404, 'ENDPOINT_NOT_FOUND')
  @HttpCode(HttpStatus.OK)
  @RequireScope('admin')
  rotateSecret(
    @Param('id') id: string,
    @Body() body: RotateSecretDto,
    @CurrentKey() key: AuthenticatedKey,
  ): Promise<EndpointWithSecretDto> {
    return this.endpoints.rotateSecret(id, key.tenantId, body);
  }
}
