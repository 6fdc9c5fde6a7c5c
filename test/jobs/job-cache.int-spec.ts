import { Client } from 'pg';
import { AdminClient, Answer, probe, rand, startReplicas } from '../gateway/auth-harness';
import { EventPublisher, GatewayProcess, JobFixtures, connectDb, waitForApplied } from '../gateway/gateway-harness';
import { stageEvents } from '../gateway/stage-events';
import { waitFor } from '../support/wait';
import type { JobRecord } from '../../apps/gateway/src/jobs/job-record';

// The status read's job cache (JobRecordCache) on two replicas: B answers a job it read before from memory,
// and a change committed by any writer (replica A's job control, the tracker consuming a stage event, a
// transaction of neither replica that UPDATEs and NOTIFYs as the tracker does) is seen by B as soon as the
// notification reaches it (polled for a few seconds: delivery to another connection is not ordered with the
// writer's commit), and by the writing replica A on its very next read (read-your-writes). The TTL is an
// hour here, so only the invalidation feed can make B read the job again.
describe('job status reads cached on two replicas', () => {
  let a: GatewayProcess;
  let b: GatewayProcess;
  let db: Client;
  let fixtures: JobFixtures;
  let events: EventPublisher;
  let key: string;
  let otherTenantKey: string;
  const tenant = `itest-jobcache-${rand()}`;

  const read = (gw: GatewayProcess, id: string, as = key): Promise<Answer> =>
    probe(`${gw.url}/api/v1/jobs/${id}`, { key: as });
  /** Job reads replica B answered from its cache so far. */
  const cacheHitsOnB = async (): Promise<number> => {
    const text = (await probe(`${b.url}/metrics`)).body;
    return Number(/^tf_job_cache_lookups_total\{[^}]*result="hit"[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
  };
  /** B's answer for the job once it matches `expected` (B hears of a change when its NOTIFY arrives). */
  const seenOnB = (id: string, expected: (view: Record<string, unknown>) => boolean) =>
    waitFor(
      `replica B to see job ${id} change`,
      async () => {
        const view = (await read(b, id)).json<Record<string, unknown>>();
        return expected(view) ? view : undefined;
      },
      5_000,
      20,
    );
  /** A fixture job that B has read and now answers from its cache (two reads counted as hits). */
  const cachedOnB = async (): Promise<JobRecord> => {
    const job = await fixtures.create(tenant, {});
    expect((await read(b, job.id)).json()).toMatchObject({ status: 'queued' });
    const before = await cacheHitsOnB();
    for (let i = 0; i < 2; i++) expect((await read(b, job.id)).json()).toMatchObject({ status: 'queued' });
    expect((await cacheHitsOnB()) - before).toBe(2);
    return job;
  };

  beforeAll(async () => {
    db = await connectDb();
    fixtures = await JobFixtures.open();
    events = await EventPublisher.connect();
    const started = await startReplicas(2, {
      TF_RATE_LIMIT_CAPACITY: '100000',
      TF_RATE_LIMIT_REFILL_PER_S: '100000',
      TF_JOB_CACHE_TTL_S: '3600',
    });
    [a, b] = started.replicas;
    const platform = new AdminClient(a.url, started.bootstrapKey);
    key = (await platform.createKey({ tenant_id: tenant, scopes: ['jobs:read', 'jobs:write'] })).key;
    otherTenantKey = (await platform.createKey({ tenant_id: `${tenant}-other`, scopes: ['jobs:read'] })).key;
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await events?.disconnect();
    await fixtures?.close();
    await db?.end();
  });

  it('sees a job cancelled through replica A on A at once (its own write) and on B when the notification arrives', async () => {
    const { id } = await cachedOnB();
    for (let i = 0; i < 3; i++) expect((await read(a, id)).json()).toMatchObject({ status: 'queued' }); // cached on A too
    const cancelled = await probe(`${a.url}/api/v1/jobs/${id}/cancel`, { method: 'POST', key });
    expect(cancelled.status).toBe(200);
    expect((await read(a, id)).json()).toMatchObject({ status: 'cancelled' });
    expect(await seenOnB(id, (v) => v.status === 'cancelled')).toMatchObject({ status: 'cancelled' });
  });

  it('sees a stage event the tracker applied (whichever replica consumed it)', async () => {
    const job = await cachedOnB();
    const id = job.id;
    const validated = stageEvents(job).validated();
    await events.publish('VideoValidated', validated);
    await waitForApplied(db, [validated.event_id]);
    const view = (await seenOnB(id, (v) => v.status !== 'queued')) as {
      status: string;
      source: { media: unknown };
      timeline: unknown[];
    };
    expect(view.status).not.toBe('queued');
    expect(view.source.media).toMatchObject({ width: 1280, height: 720 });
    expect(view.timeline).toContainEqual(expect.objectContaining({ stage: 'validate', status: 'completed' }));
  });

  it("sees a change that neither replica's code wrote: an UPDATE and its NOTIFY in one transaction", async () => {
    const { id } = await cachedOnB();
    await db.query('BEGIN');
    const { rows } = await db.query(
      `UPDATE gateway.jobs SET status = 'failed', error = $2, version = version + 1 WHERE id = $1 RETURNING version`,
      [id, { code: 'NOT_MEDIA', message: 'The file is not a video' }],
    );
    await db.query(`SELECT pg_notify('tf_job_events', $1)`, [
      JSON.stringify({ job_id: id, tenant_id: tenant, type: 'failed', status: 'failed', version: rows[0].version }),
    ]);
    await db.query('COMMIT');
    expect(await seenOnB(id, (v) => v.status === 'failed')).toMatchObject({
      status: 'failed',
      error: { code: 'NOT_MEDIA' },
    });
  });

  it("checks the tenant on every read: another tenant's key gets 404 for a job B has cached", async () => {
    const { id } = await cachedOnB();
    const before = await cacheHitsOnB();
    const refused = await read(b, id, otherTenantKey);
    expect(refused.status).toBe(404);
    expect(refused.json()).toMatchObject({ code: 'JOB_NOT_FOUND' });
    expect(await cacheHitsOnB()).toBeGreaterThan(before); // answered by the cache's own tenant check
  });
});
