import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { CurrentKey, RequireScope } from '../access/auth.decorators';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { EndpointView, EndpointWithSecretView } from './webhook-views';

/**
 * A tenant's webhook endpoints. Managing them needs `admin`: an endpoint receives the events of every
 * job of the tenant, whichever key submitted it, and its secret is a credential. Reading needs jobs:read.
 */
@Controller('api/v1/webhooks/endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  /** `{url, events?, enabled?}` → 201 with the secret, shown this once. */
  @Post()
  @RequireScope('admin')
  create(@Body() body: unknown, @CurrentKey() key: AuthenticatedKey): Promise<EndpointWithSecretView> {
    return this.endpoints.create(key.tenantId, body);
  }

  @Get()
  @RequireScope('jobs:read')
  list(@CurrentKey() key: AuthenticatedKey): Promise<{ data: EndpointView[] }> {
    return this.endpoints.list(key.tenantId);
  }

  @Get(':id')
  @RequireScope('jobs:read')
  get(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey): Promise<EndpointView> {
    return this.endpoints.get(id, key.tenantId);
  }

  /** Any of `{url, events, enabled}`. */
  @Patch(':id')
  @RequireScope('admin')
  update(@Param('id') id: string, @Body() body: unknown, @CurrentKey() key: AuthenticatedKey): Promise<EndpointView> {
    return this.endpoints.update(id, key.tenantId, body);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequireScope('admin')
  async remove(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey): Promise<void> {
    await this.endpoints.remove(id, key.tenantId);
  }

  /** `{grace_period_s?}` → the new secret, shown this once; the old one signs too until the grace period ends. */
  @Post(':id/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @RequireScope('admin')
  rotateSecret(@Param('id') id: string, @Body() body: unknown, @CurrentKey() key: AuthenticatedKey): Promise<EndpointWithSecretView> {
    return this.endpoints.rotateSecret(id, key.tenantId, body);
  }
}
