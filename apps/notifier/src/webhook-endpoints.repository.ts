import { Injectable } from '@nestjs/common';
import type { WebhookEndpointChanged } from '@tf/contracts';
import { DataSource, EntityManager } from 'typeorm';
import type { WebhookEventType } from './webhook-payload';

/** What the notifier knows of one tenant endpoint. */
export interface EndpointState {
  id: string;
  tenantId: string;
  url: string;
  events: string[];
  enabled: boolean;
  secret: string | null;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  deleted: boolean;
}

/** An endpoint a new delivery goes to. */
export interface EndpointTarget {
  id: string;
  url: string;
}

interface EndpointRow {
  id: string;
  tenant_id: string;
  url: string;
  events: string[];
  enabled: boolean;
  secret: string | null;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  deleted_at: Date | null;
}

const toState = (r: EndpointRow): EndpointState => ({
  id: r.id,
  tenantId: r.tenant_id,
  url: r.url,
  events: r.events,
  enabled: r.enabled,
  secret: r.secret,
  previousSecret: r.previous_secret,
  previousSecretExpiresAt: r.previous_secret_expires_at,
  deleted: r.deleted_at !== null,
});

/** All SQL of webhook_endpoints: the projection of the gateway's WebhookEndpointChanged events. */
@Injectable()
export class WebhookEndpointsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Applies an endpoint's whole state when the event is newer than the row (or the row is new); an
   * older or repeated version changes nothing. A deletion keeps the row, without secrets, as a
   * tombstone. Resolves whether the row changed.
   */
  async apply(tx: EntityManager, e: WebhookEndpointChanged): Promise<boolean> {
    const deleted = e.change === 'deleted';
    const rows: unknown[] = await tx.query(
      `INSERT INTO webhook_endpoints AS w
         (id, tenant_id, url, events, enabled, secret, previous_secret, previous_secret_expires_at, version, created_at, updated_at, deleted_at)
       VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (id) DO UPDATE SET
         tenant_id = EXCLUDED.tenant_id, url = EXCLUDED.url, events = EXCLUDED.events, enabled = EXCLUDED.enabled,
         secret = EXCLUDED.secret, previous_secret = EXCLUDED.previous_secret,
         previous_secret_expires_at = EXCLUDED.previous_secret_expires_at, version = EXCLUDED.version,
         updated_at = EXCLUDED.updated_at, deleted_at = EXCLUDED.deleted_at
       WHERE w.version < EXCLUDED.version
       RETURNING id`,
      [
        e.endpoint_id,
        e.tenant_id,
        e.url,
        e.events,
        e.enabled && !deleted,
        deleted ? null : e.secret,
        deleted ? null : e.previous_secret,
        deleted || e.previous_secret_expires_at === null ? null : new Date(Number(e.previous_secret_expires_at)),
        Number(e.version),
        new Date(Number(e.created_at)),
        new Date(Number(e.occurred_at)),
        deleted ? new Date(Number(e.occurred_at)) : null,
      ],
    );
    return rows.length > 0;
  }

  /** The tenant's enabled endpoints subscribed to `eventType`, oldest first. */
  async subscribed(tx: EntityManager, tenantId: string, eventType: WebhookEventType): Promise<EndpointTarget[]> {
    return tx.query(
      `SELECT id, url FROM webhook_endpoints
        WHERE tenant_id = $1 AND deleted_at IS NULL AND enabled AND $2 = ANY(events)
        ORDER BY created_at, id`,
      [tenantId, eventType],
    );
  }

  /** Current state of the given endpoints, by id (unknown ids are absent). */
  async findMany(ids: string[]): Promise<Map<string, EndpointState>> {
    if (ids.length === 0) return new Map();
    const rows: EndpointRow[] = await this.dataSource.query(
      `SELECT id, tenant_id, url, events, enabled, secret, previous_secret, previous_secret_expires_at, deleted_at
         FROM webhook_endpoints WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, toState(r)]));
  }
}
