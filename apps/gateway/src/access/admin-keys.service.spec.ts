import type { ApiKeyEntity } from './api-key.entity';
import { ApiKeysService, AuthenticatedKey, keyNotFound } from './api-keys.service';
import { gatewayConfig } from '../config/gateway.config';
import { ApiError } from '../http/api-error';
import { NO_OVERRIDES } from '../limits/key-limits';
import { limitsConfig } from '../limits/limits.config';
import { AdminKeysService } from './admin-keys.service';

const row = (over: Partial<ApiKeyEntity>): ApiKeyEntity => ({
  id: '00000000-0000-4000-8000-000000000001',
  prefix: 'tfk_abcdefgh',
  keyHash: 'f'.repeat(64),
  tenantId: 'acme',
  scopes: ['jobs:read'],
  name: null,
  platformAdmin: false,
  bootstrap: false,
  retiredAt: null,
  rateLimitCapacity: null,
  rateLimitRefillPerS: null,
  quotaStorageBytes: null,
  quotaJobsPerDay: null,
  quotaConcurrentJobs: null,
  maxUploadBytes: null,
  replacedBy: null,
  createdAt: new Date('2026-11-30T00:00:00Z'),
  revokedAt: null,
  ...over,
});

/** ApiKeysService faked at its boundary: rows in memory, tenant scoping as the repository does it. */
function fakeKeys(rows: ApiKeyEntity[]) {
  const created: unknown[][] = [];
  const find = (id: string, tenantId?: string) =>
    rows.find((r) => r.id === id && (tenantId === undefined || r.tenantId === tenantId));
  const keys = {
    create: jest.fn(async (...args: unknown[]) => {
      created.push(args);
      return { key: 'tfk_new', row: row({ tenantId: args[0] as string }) };
    }),
    list: jest.fn(async (tenantId?: string) => rows.filter((r) => tenantId === undefined || r.tenantId === tenantId)),
    get: jest.fn(async (id: string, tenantId?: string) => find(id, tenantId) ?? Promise.reject(keyNotFound(id))),
    revokeKey: jest.fn(async (id: string, tenantId?: string) => find(id, tenantId) ?? Promise.reject(keyNotFound(id))),
    rotate: jest.fn(),
  };
  return { keys, created };
}

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ApiError);
  return (e as ApiError).code;
};

describe('AdminKeysService', () => {
  const platform: AuthenticatedKey = {
    id: 'p',
    tenantId: 'default',
    scopes: ['admin'],
    platformAdmin: true,
    limits: NO_OVERRIDES,
  };
  const acmeAdmin: AuthenticatedKey = {
    id: 'a',
    tenantId: 'acme',
    scopes: ['admin'],
    platformAdmin: false,
    limits: { ...NO_OVERRIDES, quota_jobs_per_day: 10, rate_limit_capacity: 20 },
  };
  const acmeKey = row({ id: '00000000-0000-4000-8000-00000000000a', tenantId: 'acme' });
  const otherKey = row({ id: '00000000-0000-4000-8000-00000000000b', tenantId: 'globex' });
  const platformKey = row({ id: '00000000-0000-4000-8000-00000000000c', tenantId: 'acme', platformAdmin: true });
  const make = () => {
    const fake = fakeKeys([acmeKey, otherKey, platformKey]);
    return {
      ...fake,
      admin: new AdminKeysService(fake.keys as unknown as ApiKeysService, limitsConfig({}), gatewayConfig({})),
    };
  };

  it('lets a platform admin create keys for any tenant with any limits', async () => {
    const { admin, created } = make();
    const view = await admin.create(platform, {
      tenant_id: 'globex',
      scopes: ['admin'],
      platform_admin: true,
      limits: { quota_jobs_per_day: 1000 },
    });
    expect(view).toMatchObject({ key: 'tfk_new', tenant_id: 'globex' });
    expect(created[0]).toEqual([
      'globex',
      ['admin'],
      null,
      { platformAdmin: true, limits: { ...NO_OVERRIDES, quota_jobs_per_day: 1000 } },
    ]);
  });

  it('keeps a tenant admin in its tenant, below its own limits, inheriting them', async () => {
    const { admin, created } = make();
    expect(await codeOf(admin.create(acmeAdmin, { tenant_id: 'globex', scopes: ['jobs:read'] }))).toBe(
      'TENANT_FORBIDDEN',
    );
    expect(await codeOf(admin.create(acmeAdmin, { scopes: ['jobs:read'], platform_admin: true }))).toBe(
      'PLATFORM_ADMIN_REQUIRED',
    );
    expect(await codeOf(admin.create(acmeAdmin, { scopes: ['jobs:read'], limits: { quota_jobs_per_day: 11 } }))).toBe(
      'LIMIT_ABOVE_OWN',
    );
    // Resetting an inherited limit to the (unlimited) default would be more than the admin has.
    expect(await codeOf(admin.create(acmeAdmin, { scopes: ['jobs:read'], limits: { quota_jobs_per_day: null } }))).toBe(
      'LIMIT_ABOVE_OWN',
    );
    await admin.create(acmeAdmin, { scopes: ['jobs:read'], limits: { quota_jobs_per_day: 5 } });
    expect(created[0]).toEqual([
      'acme',
      ['jobs:read'],
      null,
      { platformAdmin: false, limits: { ...NO_OVERRIDES, quota_jobs_per_day: 5, rate_limit_capacity: 20 } },
    ]);
  });

  it("answers 404 for another tenant's key, and lists only its own tenant", async () => {
    const { admin, keys } = make();
    expect(await codeOf(admin.get(acmeAdmin, otherKey.id))).toBe('KEY_NOT_FOUND');
    expect(await codeOf(admin.revoke(acmeAdmin, otherKey.id))).toBe('KEY_NOT_FOUND');
    expect(await codeOf(admin.rotate(acmeAdmin, otherKey.id))).toBe('KEY_NOT_FOUND');
    expect(await codeOf(admin.revoke(acmeAdmin, 'not-a-uuid'))).toBe('KEY_NOT_FOUND');
    expect(keys.revokeKey).not.toHaveBeenCalled();
    expect((await admin.list(acmeAdmin, {})).map((k) => k.id)).toEqual([acmeKey.id, platformKey.id]);
    expect(await admin.list(acmeAdmin, { tenant_id: 'globex' })).toEqual([]);
    expect((await admin.list(platform, { tenant_id: 'globex' })).map((k) => k.id)).toEqual([otherKey.id]);
  });

  it("keeps tenant admins off platform admins' keys", async () => {
    const { admin } = make();
    expect(await codeOf(admin.revoke(acmeAdmin, platformKey.id))).toBe('PLATFORM_ADMIN_REQUIRED');
    expect((await admin.revoke(platform, platformKey.id)).id).toBe(platformKey.id);
  });

  it('never shows a hash', async () => {
    const { admin } = make();
    expect(JSON.stringify(await admin.list(platform, {}))).not.toContain('f'.repeat(64));
  });
});
