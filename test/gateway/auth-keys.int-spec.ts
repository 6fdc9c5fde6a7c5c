import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { repoRoot } from '../support/processes';
import { GatewayProcess, JobFixtures, connectDb } from './gateway-harness';
import { AdminClient, jsonBody, probe, rand, startReplicas } from './auth-harness';
import { SseClient } from './sse-client';

/** tflow, as an operator runs it: `tflow keys` goes through the admin API of `api` with its (platform admin) key. */
function tflowOn(api: { url: string; key: string }, ...args: string[]): string {
  const env = { ...process.env, TF_API_URL: api.url, TF_API_KEY: api.key };
  return execFileSync(process.execPath, [join(repoRoot, 'bin/tflow.js'), ...args], {
    cwd: '/',
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  }).trim();
}

// API keys across two gateway replicas: the admin API (tenant admins vs the platform admin), rotation
// with and without a grace period, and revocation on one replica refused at once on the other.
describe('gateway API keys on two replicas', () => {
  let a: GatewayProcess;
  let b: GatewayProcess;
  let db: Client;
  let platform: AdminClient;
  let fixtures: JobFixtures;
  let tflow: (...args: string[]) => string;
  const streams: SseClient[] = [];
  const tenant = `itest-keys-${rand()}`;
  const otherTenant = `itest-keys-other-${rand()}`;

  const getJobs = (gw: GatewayProcess, key: string) =>
    probe(`${gw.url}/api/v1/jobs/00000000-0000-0000-0000-000000000000`, { key });
  /** 404 JOB_NOT_FOUND: the key was accepted (there is no such job); 401: refused. */
  const accepted = async (gw: GatewayProcess, key: string) => (await getJobs(gw, key)).status === 404;

  beforeAll(async () => {
    db = await connectDb();
    fixtures = await JobFixtures.open();
    const started = await startReplicas(2, {
      TF_RATE_LIMIT_CAPACITY: '100000',
      TF_RATE_LIMIT_REFILL_PER_S: '100000',
      TF_KEY_RECHECK_MS: '250',
    });
    [a, b] = started.replicas;
    platform = new AdminClient(a.url, started.bootstrapKey);
    tflow = (...args) => tflowOn({ url: a.url, key: started.bootstrapKey }, ...args);
  });
  afterAll(async () => {
    streams.forEach((s) => s.close());
    await Promise.all([a?.stop(), b?.stop()]);
    await fixtures?.close();
    await db?.end();
  });

  it('shows a new key once, stores only its hash, and never lists keys or hashes', async () => {
    const created = await platform.createKey({ tenant_id: tenant, scopes: ['jobs:read'], name: 'reader' });
    expect(created.key).toMatch(/^tfk_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({
      tenant_id: tenant,
      scopes: ['jobs:read'],
      name: 'reader',
      state: 'active',
      prefix: created.key.slice(0, 12),
      platform_admin: false,
    });
    const { rows } = await db.query('SELECT key_hash FROM gateway.api_keys WHERE id = $1', [created.id]);
    expect(JSON.stringify(rows)).not.toContain(created.key.slice(12));
    for (const gw of [a, b]) {
      const list = await probe(`${gw.url}/api/v1/admin/keys?tenant_id=${tenant}`, { key: platform.key });
      expect(list.status).toBe(200);
      expect(list.body).toContain(created.id);
      expect(list.body).not.toContain(created.key.slice(12));
      expect(list.body).not.toContain(rows[0].key_hash);
      const one = await probe(`${gw.url}/api/v1/admin/keys/${created.id}`, { key: platform.key });
      expect(one.json()).toMatchObject({ id: created.id, state: 'active' });
      expect(one.json()).not.toHaveProperty('key');
    }
    expect(await accepted(b, created.key)).toBe(true);
  });

  it('refuses a key revoked on replica A at once on replica B (and by the CLI on both)', async () => {
    const key = await platform.createKey({ tenant_id: tenant, scopes: ['jobs:read'] });
    expect(await accepted(a, key.key)).toBe(true);
    expect(await accepted(b, key.key)).toBe(true);
    const revoked = await platform.revoke(key.id);
    expect(revoked.status).toBe(200);
    expect(revoked.json()).toMatchObject({ id: key.id, state: 'revoked' });
    const onB = await getJobs(b, key.key);
    expect(onB.status).toBe(401);
    expect(onB.json().code).toBe('INVALID_API_KEY');
    expect((await getJobs(a, key.key)).status).toBe(401);

    const viaCli = JSON.parse(tflow('keys', 'create', '--tenant', tenant, '--scopes', 'jobs:read', '--json'));
    expect(await accepted(b, viaCli.key)).toBe(true);
    tflow('keys', 'revoke', viaCli.id);
    expect((await getJobs(b, viaCli.key)).status).toBe(401);
    expect((await getJobs(a, viaCli.key)).status).toBe(401);
  });

  it('answers a known key from the process cache, and still refuses it at once when any writer revokes it (NOTIFY)', async () => {
    /** Authentications replica B answered from its in-process key cache so far. */
    const cacheHits = async () => {
      const text = (await probe(`${b.url}/metrics`)).body;
      return Number(/^tf_api_key_cache_lookups_total\{[^}]*result="hit"[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
    };
    const viaAdmin = await platform.createKey({ tenant_id: tenant, scopes: ['jobs:read'] });
    const bySql = await platform.createKey({ tenant_id: tenant, scopes: ['jobs:read'] });
    for (const key of [viaAdmin.key, bySql.key, viaAdmin.key, bySql.key]) expect(await accepted(b, key)).toBe(true);
    const before = await cacheHits();
    expect(await accepted(b, viaAdmin.key)).toBe(true);
    expect(await accepted(b, bySql.key)).toBe(true);
    expect((await cacheHits()) - before).toBe(2);

    expect((await platform.revoke(viaAdmin.id)).status).toBe(200); // through replica A
    expect((await getJobs(b, viaAdmin.key)).status).toBe(401);
    // Neither replica's code: a write straight to the table (another tool, an operator's SQL).
    await db.query('UPDATE gateway.api_keys SET revoked_at = now() WHERE id = $1', [bySql.id]);
    expect((await getJobs(b, bySql.key)).status).toBe(401);
    expect((await getJobs(a, bySql.key)).status).toBe(401);
  });

  it('rotates a key: the new one is shown once; without grace the old one stops at once on both replicas', async () => {
    const old = await platform.createKey({
      tenant_id: tenant,
      scopes: ['jobs:read', 'jobs:write'],
      name: 'ci',
      limits: { rate_limit_capacity: 50 },
    });
    const res = await probe(`${b.url}/api/v1/admin/keys/${old.id}/rotate`, {
      method: 'POST',
      key: platform.key,
      ...jsonBody({}),
    });
    expect(res.status).toBe(201);
    const rotated = res.json<{
      id: string;
      key: string;
      scopes: string[];
      name: string;
      limits: Record<string, unknown>;
      replaced: Record<string, unknown>;
    }>();
    expect(rotated).toMatchObject({
      scopes: ['jobs:read', 'jobs:write'],
      name: 'ci',
      limits: { rate_limit_capacity: 50 },
      replaced: { id: old.id, state: 'revoked', replaced_by: rotated.id },
    });
    expect(await accepted(a, rotated.key)).toBe(true);
    expect((await getJobs(a, old.key)).status).toBe(401);
    expect((await getJobs(b, old.key)).status).toBe(401);
    // A rotated key cannot be rotated again.
    const again = await probe(`${a.url}/api/v1/admin/keys/${old.id}/rotate`, {
      method: 'POST',
      key: platform.key,
      ...jsonBody({}),
    });
    expect(again.status).toBe(409);
    expect(again.json().code).toBe('KEY_NOT_ACTIVE');
  });

  it('rotates with a grace period: both keys work until the old one is revoked, then it stops at once', async () => {
    const old = await platform.createKey({ tenant_id: tenant, scopes: ['jobs:read'] });
    const res = await probe(`${a.url}/api/v1/admin/keys/${old.id}/rotate`, {
      method: 'POST',
      key: platform.key,
      ...jsonBody({ grace_period_s: 3600 }),
    });
    expect(res.status).toBe(201);
    const rotated = res.json<{ key: string; replaced: { state: string; revoked_at: string } }>();
    expect(rotated.replaced.state).toBe('expiring');
    expect(Date.parse(rotated.replaced.revoked_at)).toBeGreaterThan(Date.now() + 3000_000);
    for (const gw of [a, b]) {
      expect(await accepted(gw, old.key)).toBe(true);
      expect(await accepted(gw, rotated.key)).toBe(true);
    }
    const revoke = await probe(`${b.url}/api/v1/admin/keys/${old.id}`, { method: 'DELETE', key: platform.key });
    expect(revoke.json()).toMatchObject({ state: 'revoked' });
    expect((await getJobs(a, old.key)).status).toBe(401);
    expect(await accepted(a, rotated.key)).toBe(true);
    const grace = await probe(`${a.url}/api/v1/admin/keys/00000000-0000-4000-8000-000000000000/rotate`, {
      method: 'POST',
      key: platform.key,
      ...jsonBody({ grace_period_s: -1 }),
    });
    expect(grace.status).toBe(400);
  });

  it('ends the open job streams of a key revoked on the other replica, or whose rotation grace ran out; other keys stream on', async () => {
    const job = await fixtures.create(tenant, { enable_transcription: false });
    const [revoked, rotated, kept] = await Promise.all(
      [0, 1, 2].map(() => platform.createKey({ tenant_id: tenant, scopes: ['jobs:read'] })),
    );
    const open = async (gw: GatewayProcess, key: string) => {
      const stream = await SseClient.open(`${gw.url}/api/v1/events/jobs/${job.id}`, key);
      streams.push(stream);
      expect(stream.status).toBe(200);
      await stream.waitForEvent('state', (e) => e.event === 'state');
      return stream;
    };
    const [onB, graceOnB, keptOnB] = [await open(b, revoked.key), await open(b, rotated.key), await open(b, kept.key)];

    expect((await platform.revoke(revoked.id)).status).toBe(200);
    const error = await onB.waitForEvent('KEY_REVOKED error', (e) => e.event === 'error');
    expect(error.data).toMatchObject({
      type: 'error',
      job_id: job.id,
      status: 'queued',
      error: { code: 'KEY_REVOKED' },
    });
    await onB.waitForEnd();

    const rotation = await probe(`${a.url}/api/v1/admin/keys/${rotated.id}/rotate`, {
      method: 'POST',
      key: platform.key,
      ...jsonBody({ grace_period_s: 2 }),
    });
    expect(rotation.json()).toMatchObject({ replaced: { state: 'expiring' } });
    await graceOnB.waitForEvent(
      'KEY_REVOKED error after the grace period',
      (e) => e.event === 'error' && (e.data.error as { code?: string })?.code === 'KEY_REVOKED',
    );
    await graceOnB.waitForEnd();
    expect(graceOnB.events.map((e) => e.event)).toEqual(['state', 'error']);

    // The third key was never revoked: its stream is still open, after both others ended.
    expect(keptOnB.ended).toBe(false);
    expect(keptOnB.events.map((e) => e.event)).toEqual(['state']);
  });

  it("confines a tenant admin to its tenant: other tenants' keys answer 404 and stay untouched", async () => {
    const admin = new AdminClient(
      a.url,
      (await platform.createKey({ tenant_id: tenant, scopes: ['admin'], limits: { quota_jobs_per_day: 100 } })).key,
    );
    const foreign = await platform.createKey({ tenant_id: otherTenant, scopes: ['jobs:read'] });
    const own = await admin.createKey({ scopes: ['jobs:read'], name: 'made by the tenant admin' });
    expect(own.tenant_id).toBe(tenant);
    expect(own.limits).toMatchObject({ quota_jobs_per_day: 100 });

    const list = await probe(`${b.url}/api/v1/admin/keys`, { key: admin.key });
    const tenants = new Set(list.json<Array<{ tenant_id: string }>>().map((k) => k.tenant_id));
    expect([...tenants]).toEqual([tenant]);
    expect(
      await probe(`${b.url}/api/v1/admin/keys?tenant_id=${otherTenant}`, { key: admin.key }).then((r) => r.json()),
    ).toEqual([]);

    for (const [method, path] of [
      ['GET', ''],
      ['POST', '/rotate'],
      ['POST', '/revoke'],
      ['DELETE', ''],
    ]) {
      const res = await probe(`${b.url}/api/v1/admin/keys/${foreign.id}${path}`, {
        method,
        key: admin.key,
        ...(method === 'POST' ? jsonBody({}) : {}),
      });
      expect([method, path, res.status, res.json().code]).toEqual([method, path, 404, 'KEY_NOT_FOUND']);
    }
    expect(await accepted(a, foreign.key)).toBe(true);

    const elsewhere = await probe(`${a.url}/api/v1/admin/keys`, {
      method: 'POST',
      key: admin.key,
      ...jsonBody({ tenant_id: otherTenant, scopes: ['jobs:read'] }),
    });
    expect([elsewhere.status, elsewhere.json().code]).toEqual([403, 'TENANT_FORBIDDEN']);
    const more = await probe(`${a.url}/api/v1/admin/keys`, {
      method: 'POST',
      key: admin.key,
      ...jsonBody({ scopes: ['jobs:read'], limits: { quota_jobs_per_day: 101 } }),
    });
    expect([more.status, more.json().code]).toEqual([403, 'LIMIT_ABOVE_OWN']);
    const platformish = await probe(`${a.url}/api/v1/admin/keys`, {
      method: 'POST',
      key: admin.key,
      ...jsonBody({ scopes: ['admin'], platform_admin: true }),
    });
    expect([platformish.status, platformish.json().code]).toEqual([403, 'PLATFORM_ADMIN_REQUIRED']);

    // Its own tenant's keys it manages.
    expect((await admin.revoke(own.id)).json()).toMatchObject({ state: 'revoked' });
    expect((await getJobs(b, own.key)).status).toBe(401);
  });

  it('validates admin requests: scopes, tenant ids, limits, unknown fields', async () => {
    for (const body of [
      { scopes: [] },
      { scopes: ['jobs:delete'] },
      { tenant_id: 'has space', scopes: ['jobs:read'] },
      { scopes: ['jobs:read'], limits: { rate_limit_capacity: 0 } },
      { scopes: ['jobs:read'], extra: 1 },
    ]) {
      const res = await probe(`${a.url}/api/v1/admin/keys`, { method: 'POST', key: platform.key, ...jsonBody(body) });
      expect([JSON.stringify(body), res.status, res.json().code]).toEqual([
        JSON.stringify(body),
        400,
        'VALIDATION_FAILED',
      ]);
    }
  });

  it('manages keys with tflow: create with limits, list, rotate, revoke', async () => {
    const created = JSON.parse(
      tflow(
        'keys',
        'create',
        '--tenant',
        tenant,
        '--scopes',
        'jobs:read',
        '--name',
        'cli',
        '--rate-limit-capacity',
        '7',
        '--quota-jobs-per-day',
        '3',
        '--json',
      ),
    );
    expect(created).toMatchObject({
      tenant_id: tenant,
      name: 'cli',
      limits: { rate_limit_capacity: 7, quota_jobs_per_day: 3 },
    });
    const res = await getJobs(b, created.key);
    expect(res.headers['ratelimit-limit']).toBe('7');
    const listed = tflow('keys', 'list', '--tenant', tenant, '--json')
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(listed.find((k) => k.id === created.id)).toMatchObject({
      state: 'active',
      limits: { rate_limit_capacity: 7 },
    });
    expect(JSON.stringify(listed)).not.toContain(created.key.slice(12));

    const rotated = JSON.parse(tflow('keys', 'rotate', created.id, '--grace', '600', '--json'));
    expect(rotated).toMatchObject({
      limits: { rate_limit_capacity: 7, quota_jobs_per_day: 3 },
      replaced: { id: created.id, state: 'expiring' },
    });
    expect(await accepted(a, created.key)).toBe(true);
    expect(await accepted(a, rotated.key)).toBe(true);
    tflow('keys', 'revoke', created.prefix);
    expect((await getJobs(b, created.key)).status).toBe(401);
    expect(await accepted(b, rotated.key)).toBe(true);
  });
});
