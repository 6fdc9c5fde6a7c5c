import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { OutboxWriter } from '@tf/messaging';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ApiError } from '../http/api-error';
import { endpointInputOf, endpointPatchOf, gracePeriodOf } from './webhook-endpoint-input';
import type { CreateEndpointDto, RotateSecretDto, UpdateEndpointDto } from './dto/webhook-endpoint-input.dto';
import { EndpointChange, endpointChangedEvent } from './webhook-endpoint-events';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { generateWebhookSecret } from './webhook-secret';
import { EndpointDto, EndpointListDto, EndpointWithSecretDto } from './dto/webhook.dto';
import { toEndpointView } from './webhook-views';
import { WEBHOOKS_CONFIG, WebhooksConfig } from './webhooks.config';

/** Live endpoints a tenant may have. */
const MAX_ENDPOINTS_PER_TENANT = 20;

export const endpointNotFound = (id: string): ApiError =>
  ApiError.notFound('ENDPOINT_NOT_FOUND', `No webhook endpoint ${id}`);

/**
 * A tenant's webhook endpoints. Each change commits with its WebhookEndpointChanged in the outbox,
 * so the notifier's projection follows every change, in order, exactly once.
 */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly outbox: OutboxWriter,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
  ) {}

  async create(tenantId: string, body: CreateEndpointDto): Promise<EndpointWithSecretDto> {
    const input = endpointInputOf(body, this.config.egress);
    const now = new Date();
    const endpoint: WebhookEndpointEntity = {
      id: randomUUID(),
      tenantId,
      ...input,
      secret: generateWebhookSecret(),
      previousSecret: null,
      previousSecretExpiresAt: null,
      secretRotatedAt: null,
      version: '1',
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await this.dataSource.transaction(async (tx) => {
      await this.endpoints.lockTenant(tx, tenantId);
      if ((await this.endpoints.countActive(tx, tenantId)) >= MAX_ENDPOINTS_PER_TENANT) {
        throw new ApiError(
          HttpStatus.CONFLICT,
          'ENDPOINT_LIMIT_REACHED',
          `A tenant may have at most ${MAX_ENDPOINTS_PER_TENANT} webhook endpoints`,
        );
      }
      await this.endpoints.insert(tx, endpoint);
      await this.publish(tx, endpoint, 'created', now);
    });
    return { ...toEndpointView(endpoint, now), secret: endpoint.secret! };
  }

  async list(tenantId: string): Promise<EndpointListDto> {
    const now = new Date();
    return { data: (await this.endpoints.listForTenant(tenantId)).map((e) => toEndpointView(e, now)) };
  }

  async get(id: string, tenantId: string): Promise<EndpointDto> {
    const endpoint = await this.endpoints.findForTenant(id, tenantId);
    if (!endpoint) throw endpointNotFound(id);
    return toEndpointView(endpoint, new Date());
  }

  async update(id: string, tenantId: string, body: UpdateEndpointDto): Promise<EndpointDto> {
    const patch = endpointPatchOf(body, this.config.egress);
    const { endpoint, now } = await this.change(id, tenantId, 'updated', (e) => Object.assign(e, patch));
    return toEndpointView(endpoint, now);
  }

  /** Soft delete: the row stays (without secrets) so the delivery log can still name it. */
  async remove(id: string, tenantId: string): Promise<void> {
    await this.change(id, tenantId, 'deleted', (e, now) => {
      e.enabled = false;
      e.secret = null;
      e.previousSecret = null;
      e.previousSecretExpiresAt = null;
      e.deletedAt = now;
    });
  }

  /**
   * A new secret; the current one keeps signing (as a second `v1=`) for the grace period, then stops.
   * A secret still in an earlier rotation's grace window is dropped: at most two secrets sign.
   */
  async rotateSecret(id: string, tenantId: string, body: RotateSecretDto): Promise<EndpointWithSecretDto> {
    const graceS = gracePeriodOf(body, this.config.rotationGraceSeconds);
    const { endpoint, now } = await this.change(id, tenantId, 'rotated', (e, at) => {
      e.previousSecret = graceS > 0 ? e.secret : null;
      e.previousSecretExpiresAt = graceS > 0 ? new Date(at.getTime() + graceS * 1000) : null;
      e.secret = generateWebhookSecret();
      e.secretRotatedAt = at;
    });
    return { ...toEndpointView(endpoint, now), secret: endpoint.secret! };
  }

  /** Locks the tenant's endpoint, applies `mutate`, bumps the version, saves and publishes, in one transaction. */
  private async change(
    id: string,
    tenantId: string,
    change: EndpointChange,
    mutate: (e: WebhookEndpointEntity, now: Date) => void,
  ): Promise<{ endpoint: WebhookEndpointEntity; now: Date }> {
    return this.dataSource.transaction(async (tx) => {
      const endpoint = await this.endpoints.lockForTenant(tx, id, tenantId);
      if (!endpoint) throw endpointNotFound(id);
      const now = new Date();
      mutate(endpoint, now);
      endpoint.version = String(Number(endpoint.version) + 1);
      endpoint.updatedAt = now;
      await this.endpoints.save(tx, endpoint);
      await this.publish(tx, endpoint, change, now);
      return { endpoint, now };
    });
  }

  private publish(
    tx: EntityManager,
    endpoint: WebhookEndpointEntity,
    change: EndpointChange,
    now: Date,
  ): Promise<void> {
    return this.outbox.append(tx, 'WebhookEndpointChanged', endpointChangedEvent(endpoint, change, now));
  }
}
