import { ApiError } from '../http/api-error';
import { validateAs } from '../http/api-validation.pipe';
import { DeliveryQueryDto } from './dto/webhook-delivery-query.dto';
import { deliveryQueryOf } from './webhook-delivery-query';
import { endpointChangedEvent } from './webhook-endpoint-events';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { generateWebhookSecret } from './webhook-secret';
import { decodeCursor, encodeCursor, toEndpointView } from './webhook-views';
import { webhooksConfig } from './webhooks.config';

const now = new Date('2025-01-02T03:04:05.678Z');
const endpoint = (over: Partial<WebhookEndpointEntity> = {}): WebhookEndpointEntity => ({
  id: '0b7c6f7e-3f5e-4a51-9d7b-2a0d4a6a3c11',
  tenantId: 'acme',
  url: 'https://hooks.example.test/tf',
  events: ['video.completed', 'job.failed'],
  enabled: true,
  secret: 'whsec_new',
  previousSecret: null,
  previousSecretExpiresAt: null,
  secretRotatedAt: null,
  version: '3',
  createdAt: new Date('2025-01-01T00:00:00Z'),
  updatedAt: now,
  deletedAt: null,
  ...over,
});

describe('webhook API shapes', () => {
  it('generates whsec_ secrets of 256 random bits', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(a);
  });

  it('never shows a secret in the endpoint view, and the grace end only while it lasts', () => {
    const rotated = endpoint({
      previousSecret: 'whsec_old',
      previousSecretExpiresAt: new Date(now.getTime() + 1000),
      secretRotatedAt: now,
    });
    const view = toEndpointView(rotated, now);
    expect(JSON.stringify(view)).not.toContain('whsec_');
    expect(view.previous_secret_expires_at).toBe(new Date(now.getTime() + 1000).toISOString());
    expect(toEndpointView(rotated, new Date(now.getTime() + 1000)).previous_secret_expires_at).toBeNull();
  });

  it('carries the whole state in WebhookEndpointChanged, keyed by the endpoint', () => {
    const during = endpointChangedEvent(
      endpoint({ previousSecret: 'whsec_old', previousSecretExpiresAt: new Date(now.getTime() + 1000) }),
      'rotated',
      now,
    );
    expect(during).toMatchObject({
      job_id: '0b7c6f7e-3f5e-4a51-9d7b-2a0d4a6a3c11',
      endpoint_id: '0b7c6f7e-3f5e-4a51-9d7b-2a0d4a6a3c11',
      tenant_id: 'acme',
      change: 'rotated',
      version: 3,
      secret: 'whsec_new',
      previous_secret: 'whsec_old',
      previous_secret_expires_at: now.getTime() + 1000,
      created_at: Date.parse('2025-01-01T00:00:00Z'),
    });
    const expired = endpointChangedEvent(
      endpoint({ previousSecret: 'whsec_old', previousSecretExpiresAt: now }),
      'updated',
      now,
    );
    expect(expired).toMatchObject({ previous_secret: null, previous_secret_expires_at: null });
    const deleted = endpointChangedEvent(endpoint({ secret: null, deletedAt: now, enabled: false }), 'deleted', now);
    expect(deleted).toMatchObject({ change: 'deleted', secret: null, previous_secret: null, enabled: false });
  });

  it('round-trips cursors and rejects forged ones', () => {
    const c = { createdAt: now, id: '0b7c6f7e-3f5e-4a51-9d7b-2a0d4a6a3c11' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(() => decodeCursor('bm9wZQ')).toThrow(ApiError);
    expect(() =>
      decodeCursor(Buffer.from('yesterday|0b7c6f7e-3f5e-4a51-9d7b-2a0d4a6a3c11').toString('base64url')),
    ).toThrow(ApiError);
  });

  it('refuses cursors whose date Date reads but Postgres would not (or that encodeCursor never writes)', () => {
    const id = '0b7c6f7e-3f5e-4a51-9d7b-2a0d4a6a3c11';
    for (const at of [
      '-271821-04-20T00:00:00.000Z',
      '+275760-09-13T00:00:00.000Z',
      '2025-02-30T00:00:00.000Z',
      '2025',
      'Tue, 01 Jan 2030 00:00:00 GMT',
    ]) {
      expect(() => decodeCursor(Buffer.from(`${at}|${id}`).toString('base64url'))).toThrow(ApiError);
    }
  });

  it('parses the delivery query (DeliveryQueryDto through the API validation pipe)', async () => {
    const parseDeliveryQuery = async (query: Record<string, unknown>) =>
      deliveryQueryOf(await validateAs(DeliveryQueryDto, query));
    const codeOf = (query: Record<string, unknown>) =>
      parseDeliveryQuery(query).then(
        () => 'none',
        (e: unknown) => (e instanceof ApiError ? e.code : 'not an ApiError'),
      );
    expect(await parseDeliveryQuery({})).toEqual({
      filter: { jobId: undefined, endpointId: undefined, status: undefined },
      cursor: null,
      limit: 20,
    });
    expect(await parseDeliveryQuery({ job_id: 'j1', status: 'failed', limit: '5', other: 'x' })).toMatchObject({
      filter: { jobId: 'j1', status: 'failed' },
      limit: 5,
    });
    expect(await parseDeliveryQuery({ job_id: ' ', limit: ' 7 ' })).toMatchObject({
      filter: { jobId: undefined },
      limit: 7,
    });
    expect(await codeOf({ status: 'lost' })).toBe('INVALID_STATUS');
    expect(await codeOf({ limit: '0' })).toBe('INVALID_LIMIT');
    expect(await codeOf({ limit: '101' })).toBe('INVALID_LIMIT');
    expect(await codeOf({ limit: 'ten' })).toBe('INVALID_LIMIT');
    expect(await codeOf({ job_id: ['a', 'b'] })).toBe('INVALID_QUERY');
    expect(await codeOf({ status: ['lost', 'failed'] })).toBe('INVALID_QUERY');
    expect(await codeOf({ limit: ['1', '2'] })).toBe('INVALID_QUERY');
    expect(await codeOf({ cursor: 'bm9wZQ' })).toBe('INVALID_CURSOR');
  });

  it('reads the rotation grace from TF_WEBHOOK_ROTATION_GRACE_S (24 h by default)', () => {
    expect(webhooksConfig({})).toEqual({ rotationGraceSeconds: 86400, egress: { allowPrivateNetworks: false } });
    expect(webhooksConfig({ TF_WEBHOOK_ROTATION_GRACE_S: '30', TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' })).toEqual({
      rotationGraceSeconds: 30,
      egress: { allowPrivateNetworks: true },
    });
    expect(() => webhooksConfig({ TF_WEBHOOK_ROTATION_GRACE_S: 'soon' })).toThrow(/TF_WEBHOOK_ROTATION_GRACE_S/);
  });
});
