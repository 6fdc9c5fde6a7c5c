import { Injectable } from '@nestjs/common';
import { updateColumns } from '@tf/persistence';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string): boolean => UUID.test(id);

/** What an endpoint's owner may change (tenant and creation time stay). */
const UPDATABLE_ENDPOINT_COLUMNS = [
  'url',
  'events',
  'enabled',
  'secret',
  'previousSecret',
  'previousSecretExpiresAt',
  'secretRotatedAt',
  'version',
  'updatedAt',
  'deletedAt',
] as const;

/** All reads and writes of gateway.webhook_endpoints. */
@Injectable()
export class WebhookEndpointsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: EntityManager, endpoint: WebhookEndpointEntity): Promise<void> {
    await tx.insert(WebhookEndpointEntity, endpoint);
  }

  async save(tx: EntityManager, endpoint: WebhookEndpointEntity): Promise<void> {
    await updateColumns(tx, WebhookEndpointEntity, endpoint, UPDATABLE_ENDPOINT_COLUMNS);
  }

  /**
   * Serializes the endpoint changes of one tenant until the transaction ends (the per-tenant limit
   * is counted under it).
   */
  async lockTenant(tx: EntityManager, tenantId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`tf-webhook-endpoints:${tenantId}`]);
  }

  countActive(tx: EntityManager, tenantId: string): Promise<number> {
    return tx.getRepository(WebhookEndpointEntity).count({ where: { tenantId, deletedAt: IsNull() } });
  }

  /** The tenant's live endpoints, oldest first. */
  listForTenant(tenantId: string): Promise<WebhookEndpointEntity[]> {
    return this.dataSource
      .getRepository(WebhookEndpointEntity)
      .find({ where: { tenantId, deletedAt: IsNull() }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** A tenant's endpoint; another tenant's is as absent as an unknown one. Deleted ones only when asked. */
  async findForTenant(id: string, tenantId: string, includeDeleted = false): Promise<WebhookEndpointEntity | null> {
    if (!isUuid(id)) return null;
    return this.dataSource
      .getRepository(WebhookEndpointEntity)
      .findOne({ where: { id, tenantId, ...(includeDeleted ? {} : { deletedAt: IsNull() }) } });
  }

  /** A tenant's live endpoint, its row locked until the transaction ends. */
  async lockForTenant(tx: EntityManager, id: string, tenantId: string): Promise<WebhookEndpointEntity | null> {
    if (!isUuid(id)) return null;
    return tx
      .getRepository(WebhookEndpointEntity)
      .findOne({ where: { id, tenantId, deletedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
  }
}
