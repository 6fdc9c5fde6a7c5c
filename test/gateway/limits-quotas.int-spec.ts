import { Client } from 'pg';
import { ObjectStorage } from '@tf/storage';
import { waitFor } from '../support/wait';
import { GatewayProcess, JobFixtures, connectDb, upload } from './gateway-harness';
import {
  AdminClient,
  Answer,
  chunkedUpload,
  expectNothingStored,
  heldUpload,
  rand,
  startReplicas,
  video,
} from './auth-harness';

/**
 * Expects the gateway to answer an upload before its body was sent: the decision was taken on the
 * headers (Content-Length) alone, so not a byte reached storage. (A gateway that waited for the body
 * would never answer, and the test would fail on its timeout rather than pass.)
 */
async function answeredBeforeBody(held: ReturnType<typeof heldUpload>): Promise<Answer> {
  try {
    return await held.response;
  } finally {
    held.abort();
  }
}

// Quotas (per tenant, limits from the calling key) and the per-key max upload size, on two
// replicas: each refusal has its code, and leaves no object in raw-videos and no job row.
describe('gateway quotas', () => {
  let a: GatewayProcess;
  let b: GatewayProcess;
  let db: Client;
  let fixtures: JobFixtures;
  let platform: AdminClient;
  const storage = new ObjectStorage();

  const tenantWith = async (limits: Record<string, number>) => {
    const tenant = `itest-quota-${rand()}`;
    const created = await platform.createKey({ tenant_id: tenant, scopes: ['jobs:read', 'jobs:write'], limits });
    return { tenant, key: created.key };
  };
  const nothingStored = <T>(tenant: string, act: () => Promise<T>) => expectNothingStored(db, storage, tenant, act);
  const reservations = async (tenant: string) =>
    (await db.query('SELECT count(*)::int AS n FROM gateway.upload_reservations WHERE tenant_id = $1', [tenant]))
      .rows[0].n as number;
  const expectQuota = (res: Answer, quota: string) => {
    expect([res.status, res.json().code, (res.json().details as { quota?: string } | undefined)?.quota]).toEqual([
      429,
      'QUOTA_EXCEEDED',
      quota,
    ]);
  };

  beforeAll(async () => {
    db = await connectDb();
    fixtures = await JobFixtures.open();
    const started = await startReplicas(2, {
      TF_MAX_UPLOAD_BYTES: String(4 * 1024 * 1024),
      TF_RATE_LIMIT_CAPACITY: '100000',
      TF_RATE_LIMIT_REFILL_PER_S: '100000',
    });
    [a, b] = started.replicas;
    platform = new AdminClient(a.url, started.bootstrapKey);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await fixtures?.close();
    await db?.end();
  });

  it("refuses files over the key's max_upload_bytes with 413 UPLOAD_TOO_LARGE, by Content-Length up front or by cutting the stream", async () => {
    const { tenant, key } = await tenantWith({ max_upload_bytes: 100_000 });
    const declared = await nothingStored(tenant, () => answeredBeforeBody(heldUpload(a.url, key, [video(400_000)])));
    expect([declared.status, declared.json().code]).toEqual([413, 'UPLOAD_TOO_LARGE']);
    expect(declared.json().message).toContain('100000');
    // Just over: Content-Length cannot tell it from a form's overhead, so the stream is cut at the limit.
    const streamed = await nothingStored(tenant, () => upload(b.url, key, [video(120_000)]));
    expect([streamed.status, streamed.json().code]).toEqual([413, 'UPLOAD_TOO_LARGE']);
    const chunked = await nothingStored(tenant, () => chunkedUpload(a.url, key, [video(300_000)]));
    expect([chunked.status, chunked.json().code]).toEqual([413, 'UPLOAD_TOO_LARGE']);
    expect((await upload(b.url, key, [video(90_000)])).status).toBe(202);
    expect(await reservations(tenant)).toBe(0);
  });

  it('refuses what would pass quota_storage_bytes with 429 QUOTA_EXCEEDED storage_bytes', async () => {
    const { tenant, key } = await tenantWith({ quota_storage_bytes: 300_000 });
    expect((await upload(a.url, key, [video(200_000)])).status).toBe(202);
    const declared = await nothingStored(tenant, () => answeredBeforeBody(heldUpload(b.url, key, [video(200_000)])));
    expectQuota(declared, 'storage_bytes');
    expect(declared.json().details).toEqual({ quota: 'storage_bytes', limit: 300_000, used: 200_000 });
    // Without a length the upload starts, and is cut once it passes what the quota leaves.
    const chunked = await nothingStored(tenant, () => chunkedUpload(a.url, key, [video(150_000)]));
    expectQuota(chunked, 'storage_bytes');
    expect((await upload(b.url, key, [video(90_000)])).status).toBe(202);
    expect(await reservations(tenant)).toBe(0);
  });

  it('refuses the job after quota_jobs_per_day with 429 QUOTA_EXCEEDED jobs_per_day and Retry-After', async () => {
    const { tenant, key } = await tenantWith({ quota_jobs_per_day: 2 });
    expect((await upload(a.url, key, [video(10_000)])).status).toBe(202);
    expect((await upload(b.url, key, [video(10_000)])).status).toBe(202);
    const third = await nothingStored(tenant, () => answeredBeforeBody(heldUpload(a.url, key, [video(10_000)])));
    expectQuota(third, 'jobs_per_day');
    const retryAfter = Number(third.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect(third.json().details).toMatchObject({ limit: 2, used: 2, retry_after_s: retryAfter });
  });

  it('refuses a job over quota_concurrent_jobs with 429 QUOTA_EXCEEDED concurrent_jobs (queued and processing jobs count)', async () => {
    const { tenant, key } = await tenantWith({ quota_concurrent_jobs: 1 });
    await fixtures.create(tenant, {});
    const res = await nothingStored(tenant, () => answeredBeforeBody(heldUpload(b.url, key, [video(10_000)])));
    expectQuota(res, 'concurrent_jobs');
    expect(res.json().details).toMatchObject({ limit: 1, used: 1 });
  });

  it('counts an upload in flight on replica A against a concurrent one on replica B', async () => {
    const { tenant, key } = await tenantWith({ quota_concurrent_jobs: 1 });
    const first = heldUpload(a.url, key, [video(200_000)]);
    await waitFor('the first upload to hold its place', async () => (await reservations(tenant)) === 1);
    const second = await nothingStored(tenant, () => upload(b.url, key, [video(10_000)]));
    expectQuota(second, 'concurrent_jobs');
    first.finish();
    const done = await first.response;
    expect(done.status).toBe(202);
    expect(await reservations(tenant)).toBe(0);
    const { rows } = await db.query('SELECT id FROM gateway.jobs WHERE tenant_id = $1', [tenant]);
    expect(rows.map((r) => r.id)).toEqual([done.json().job_id]);
  });

  it('gives the place back when an admitted upload fails', async () => {
    const { tenant, key } = await tenantWith({ quota_concurrent_jobs: 1, max_upload_bytes: 50_000 });
    const bad = await nothingStored(tenant, () =>
      upload(a.url, key, [{ name: 'target_resolutions', value: '999p' }, video(10_000)]),
    );
    expect(bad.json().code).toBe('UNKNOWN_RESOLUTION');
    const big = await nothingStored(tenant, () => upload(a.url, key, [video(60_000)]));
    expect(big.json().code).toBe('UPLOAD_TOO_LARGE');
    expect(await reservations(tenant)).toBe(0);
    expect((await upload(b.url, key, [video(10_000)])).status).toBe(202);
  });
});
