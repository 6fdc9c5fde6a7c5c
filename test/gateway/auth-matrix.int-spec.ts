import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { GatewayProcess, JobFixtures, connectDb } from './gateway-harness';
import {
  AdminClient,
  Answer,
  expectRateLimitHeaders,
  jsonBody,
  probe,
  rand,
  startReplicas,
  unknownKey,
} from './auth-harness';

interface Route {
  method: string;
  path: string;
  api: boolean;
  scope: 'jobs:read' | 'jobs:write' | 'admin' | 'authenticated' | null;
  handler: string | null;
}

type Cell = 'no key' | 'wrong key' | 'revoked' | 'wrong scope' | 'other tenant';
const CELLS: Cell[] = ['no key', 'wrong key', 'revoked', 'wrong scope', 'other tenant'];

/** A key that has every scope but the one a route needs (admin would imply it). */
const SCOPES_WITHOUT: Record<string, string[]> = {
  'jobs:read': ['jobs:write'],
  'jobs:write': ['jobs:read'],
  admin: ['jobs:read', 'jobs:write'],
};

// The authorization matrix: every /api route the running gateway serves (enumerated from its router
// through GET /api/v1/admin/routes, so routes added later are covered) × {no key, wrong key, revoked,
// wrong scope, other tenant}. Path parameters name tenant A's resources; the other tenant is an admin
// of tenant B, so only tenancy can refuse it.
// The operator's routes concern every tenant: a tenant's admin is refused with 403 PLATFORM_ADMIN_REQUIRED.
const PLATFORM_ONLY = /^\/api\/v1\/admin\/(dead-letters|pipeline)(\/|$)/;

describe('gateway authorization matrix', () => {
  let gateway: GatewayProcess;
  let db: Client;
  let fixtures: JobFixtures;
  let routes: Route[] = [];
  const tenantA = `itest-authz-a-${rand()}`;
  const tenantB = `itest-authz-b-${rand()}`;
  const keys: Record<string, string> = {};
  /** Tenant A's resources, by the path segment that names their kind. */
  const resources: Record<string, string> = {};

  beforeAll(async () => {
    db = await connectDb();
    fixtures = await JobFixtures.open();
    const started = await startReplicas(1, { TF_RATE_LIMIT_CAPACITY: '100000', TF_RATE_LIMIT_REFILL_PER_S: '100000' });
    gateway = started.replicas[0];
    const platform = new AdminClient(gateway.url, started.bootstrapKey);
    const make = async (name: string, tenant: string, scopes: string[]) => {
      const k = await platform.createKey({ tenant_id: tenant, scopes, name });
      keys[name] = k.key;
      return k;
    };
    await make('a-admin', tenantA, ['admin']);
    await make('b-admin', tenantB, ['admin']);
    const revoked = await make('a-revoked', tenantA, ['admin']);
    expect((await platform.revoke(revoked.id)).status).toBe(200);
    for (const [scope, granted] of Object.entries(SCOPES_WITHOUT)) await make(`a-without-${scope}`, tenantA, granted);
    const victim = await make('a-victim', tenantA, ['jobs:read']);

    resources.jobs = (await fixtures.create(tenantA, {})).id;
    resources.keys = victim.id;
    const upload = await probe(`${gateway.url}/api/v1/uploads`, {
      method: 'POST',
      key: keys['a-admin'],
      ...jsonBody({ filename: 'a.mp4', bytes: 1000 }),
    });
    if (upload.status === 201 || upload.status === 200)
      resources.uploads = upload.json<{ upload_id: string }>().upload_id;
    const endpoint = await probe(`${gateway.url}/api/v1/webhooks/endpoints`, {
      method: 'POST',
      key: keys['a-admin'],
      ...jsonBody({ url: 'https://hooks.example.com/a' }),
    });
    if (endpoint.status === 201 || endpoint.status === 200) resources.endpoints = endpoint.json<{ id: string }>().id;

    const table = await probe(`${gateway.url}/api/v1/admin/routes`, { key: started.bootstrapKey });
    expect(table.status).toBe(200);
    routes = table.json<Route[]>().filter((r) => r.api);
  });

  afterAll(async () => {
    await gateway?.stop();
    await fixtures?.close();
    await db?.end();
  });

  /** A concrete URL of the route, its parameters naming tenant A's resources (unknown kinds: a random id). */
  const urlOf = (route: Route, madeUp = false): string =>
    gateway.url +
    route.path
      .split('/')
      .map((segment, i, all) =>
        segment.startsWith(':') ? (!madeUp && resources[all[i - 1]]) || randomUUID() : segment,
      )
      .join('/');

  const bodyFor = (route: Route) => (route.method === 'GET' || route.method === 'DELETE' ? {} : jsonBody({}));
  const call = (route: Route, key: string | null): Promise<Answer> =>
    probe(urlOf(route), { method: route.method, key, ...bodyFor(route) });

  it('enumerates the routes from the running router, each with the scope its handler needs', () => {
    const ids = routes.map((r) => `${r.method} ${r.path}`);
    expect(ids).toEqual(
      expect.arrayContaining([
        'POST /api/v1/jobs/upload',
        'GET /api/v1/jobs/:id',
        'GET /api/v1/events/jobs/:id',
        'POST /api/v1/admin/keys',
        'POST /api/v1/admin/keys/:id/rotate',
      ]),
    );
    // Resources the matrix names in paths (a kind without one gets a made-up id: then only the 404 is checked).
    expect(Object.keys(resources).sort()).toEqual(['endpoints', 'jobs', 'keys', 'uploads']);
    const unknown = routes
      .filter((r) => !r.scope)
      .map((r) => `${r.method} ${r.path} (${r.handler ?? 'no Nest handler'})`);
    expect(unknown).toEqual([]);
    expect(ids.filter((id) => PLATFORM_ONLY.test(id.split(' ')[1])).sort()).toEqual([
      'GET /api/v1/admin/dead-letters',
      'GET /api/v1/admin/pipeline/status',
      'POST /api/v1/admin/dead-letters/:group/replay',
    ]);
  });

  it('answers every cell with the documented status and code, RateLimit headers included', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      // A route any valid key may call has no scope to lack: the other cells still apply.
      for (const cell of CELLS.filter((c) => !(c === 'wrong scope' && route.scope === 'authenticated'))) {
        const res = await call(
          route,
          cell === 'no key'
            ? null
            : cell === 'wrong key'
              ? unknownKey()
              : cell === 'revoked'
                ? keys['a-revoked']
                : cell === 'wrong scope'
                  ? keys[`a-without-${route.scope}`]
                  : keys['b-admin'],
        );
        const where = `${route.method} ${route.path} × ${cell}: ${res.status} ${res.body.slice(0, 160)}`;
        const code = res.body.startsWith('{') ? res.json().code : undefined;
        const expectCode = (status: number, c: string | RegExp) => {
          if (res.status !== status || !(typeof c === 'string' ? code === c : c.test(String(code))))
            failures.push(`${where} (expected ${status} ${c})`);
        };
        try {
          expectRateLimitHeaders(res);
        } catch (e) {
          failures.push(`${where}: ${(e as Error).message}`);
        }
        if (cell === 'no key') expectCode(401, 'MISSING_API_KEY');
        else if (cell === 'wrong key' || cell === 'revoked') expectCode(401, 'INVALID_API_KEY');
        else if (cell === 'wrong scope') expectCode(403, 'INSUFFICIENT_SCOPE');
        else if (PLATFORM_ONLY.test(route.path)) expectCode(403, 'PLATFORM_ADMIN_REQUIRED');
        else if (route.path.includes('/:')) {
          // Another tenant's resource must be indistinguishable from one that does not exist: 404, or
          // the very answer a made-up id gets (a body refused before any lookup, e.g. an empty PATCH).
          const control = await probe(urlOf(route, true), {
            method: route.method,
            key: keys['b-admin'],
            ...bodyFor(route),
          });
          const controlCode = control.body.startsWith('{') ? control.json().code : undefined;
          const same = res.status === control.status && code === controlCode;
          if (
            !same ||
            (res.status !== 404 && (res.status < 400 || res.status === 401 || res.status === 403 || res.status >= 500))
          ) {
            failures.push(`${where} (expected 404, or what a made-up id gets: ${control.status} ${controlCode})`);
          }
        } else {
          // No resource named: the other tenant acts on its own data; nothing of tenant A may show.
          const leaked = Object.values(resources).filter((id) => res.body.includes(id));
          if ([401, 403].includes(res.status) || res.status >= 500 || leaked.length || res.body.includes(tenantA))
            failures.push(`${where} (expected its own tenant's answer, no tenant A data)`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("leaves tenant A's resources untouched by the other tenant's calls", async () => {
    const victim = await probe(`${gateway.url}/api/v1/jobs/${resources.jobs}`, { key: keys['a-victim'] });
    expect(victim.status).toBe(200);
    const job = await db.query('SELECT status FROM gateway.jobs WHERE id = $1', [resources.jobs]);
    expect(job.rows[0].status).toBe('queued');
  });

  it('answers 401 on /api paths no route serves, and leaves /health and /metrics open', async () => {
    const unknownPath = await probe(`${gateway.url}/api/v1/no-such-route`);
    expect(unknownPath.status).toBe(401);
    expect(unknownPath.json().code).toBe('MISSING_API_KEY');
    expectRateLimitHeaders(unknownPath);
    const withKey = await probe(`${gateway.url}/api/v1/no-such-route`, { key: keys['a-admin'] });
    expect(withKey.status).toBe(404);
    expectRateLimitHeaders(withKey);
    expect((await probe(`${gateway.url}/health`)).status).toBe(200);
    expect((await probe(`${gateway.url}/metrics`)).status).toBe(200);
  });
});
