// GET /api/v1/jobs on the real gateway and Postgres: keyset pagination, filters, tenant isolation,
// labels given at upload, 400s, and the indexes the queries go through.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { GatewayProcess, connectDb, newBootstrapKey, startGateway, upload } from '../gateway/gateway-harness';
import { GatewayDb, JobsApi, rand } from './jobs-harness';

describe('GET /api/v1/jobs', () => {
  const tenant = `itest-list-${rand()}`;
  const other = `itest-list-other-${rand()}`;
  let gateway: GatewayProcess;
  let api: JobsApi;
  let db: Client;
  let gw: GatewayDb;
  let key: string;
  let otherKey: string;
  /** The tenant's fixture jobs, newest first (the list order). */
  let expected: { id: string; createdAt: Date; status: string; labels: string[] }[];
  const base = Date.parse('2025-03-01T12:00:00Z');
  const at = (minutes: number) => new Date(base + minutes * 60_000);

  beforeAll(async () => {
    db = await connectDb();
    gw = await GatewayDb.open();
    gateway = await startGateway({ TF_BOOTSTRAP_API_KEY: newBootstrapKey() });
    api = new JobsApi(gateway.url);
    key = await gw.createKey(tenant, ['jobs:read', 'jobs:write']);
    otherKey = await gw.createKey(other, ['jobs:read']);

    // 25 jobs one minute apart, the last three created at the very same instant (ties broken by id).
    const rows = [];
    for (let i = 0; i < 25; i++) {
      const status = i % 5 === 0 ? 'failed' : i % 3 === 0 ? 'completed' : 'processing';
      const labels = [...(i % 2 === 0 ? ['even'] : []), ...(i % 4 === 0 ? ['campaign:7'] : [])];
      const job = await gw.insertJob(tenant, { createdAt: at(Math.min(i, 22)), status: status as never, labels });
      rows.push({ id: job.id, createdAt: job.createdAt, status, labels });
    }
    await gw.insertJob(other, { createdAt: at(3) });
    expected = rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  });

  afterAll(async () => {
    await gateway?.stop();
    await gw?.close();
    await db?.end();
  });

  it('pages through the tenant’s jobs newest first with an opaque cursor: every job once, ties in id order', async () => {
    const first = await api.list(key, { limit: '10' });
    expect(first.status).toBe(200);
    const body = first.json<{ jobs: Record<string, unknown>[]; next_cursor: string }>();
    expect(body.jobs).toHaveLength(10);
    expect(body.next_cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(body.jobs[0]).toEqual({
      job_id: expected[0].id,
      status: expected[0].status,
      error: null,
      labels: expected[0].labels,
      attempt: 1,
      // The fixtures have no timeline: only a completed job shows progress.
      overall_progress: expected[0].status === 'completed' ? 100 : 0,
      source: { filename: 'fixture.mp4', bytes: 1234, content_type: 'video/mp4' },
      created_at: expected[0].createdAt.toISOString(),
      updated_at: expect.any(String),
      completed_at: null,
      cancelled_at: null,
    });

    const all = await api.listAll(key, { limit: '10' });
    expect(all.pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(all.ids).toEqual(expected.map((j) => j.id));
    // The default page size is 20; the last page says so with a null cursor.
    const byDefault = await api.listAll(key);
    expect(byDefault.pages.map((p) => p.length)).toEqual([20, 5]);
  });

  it('filters by status, creation time and labels, also across pages', async () => {
    const failed = await api.listAll(key, { status: 'failed', limit: '2' });
    expect(failed.ids).toEqual(expected.filter((j) => j.status === 'failed').map((j) => j.id));

    const range = await api.listAll(key, {
      created_after: at(5).toISOString(),
      created_before: '2025-03-01T12:10:00Z',
      limit: '3',
    });
    expect(range.ids).toEqual(expected.filter((j) => j.createdAt >= at(5) && j.createdAt < at(10)).map((j) => j.id));
    expect(range.ids).toHaveLength(5);

    const labelled = await api.listAll(key, { label: 'even', limit: '4' });
    expect(labelled.ids).toEqual(expected.filter((j) => j.labels.includes('even')).map((j) => j.id));
    const both = await api.listAll(key, { label: ['even', 'campaign:7'] });
    expect(both.ids).toEqual(expected.filter((j) => j.labels.includes('campaign:7')).map((j) => j.id));
    expect((await api.listAll(key, { label: 'even,campaign:7' })).ids).toEqual(both.ids);

    const combined = await api.listAll(key, {
      status: 'failed',
      label: 'campaign:7',
      created_before: at(20).toISOString(),
    });
    expect(combined.ids).toEqual(
      expected
        .filter((j) => j.status === 'failed' && j.labels.includes('campaign:7') && j.createdAt < at(20))
        .map((j) => j.id),
    );
    expect(combined.ids.length).toBeGreaterThan(0);
  });

  it('shows a tenant its own jobs only', async () => {
    const mine = await api.listAll(otherKey);
    expect(mine.ids).toHaveLength(1);
    expect(mine.ids).not.toContain(expected[0].id);
  });

  it.each([
    [{ limit: '101' }, 'INVALID_LIMIT'],
    [{ limit: '0' }, 'INVALID_LIMIT'],
    [{ status: 'done' }, 'INVALID_STATUS'],
    [{ created_after: 'yesterday' }, 'INVALID_TIMESTAMP'],
    [{ created_after: '2025-03-02', created_before: '2025-03-01' }, 'INVALID_RANGE'],
    [{ cursor: 'bm90IGEgY3Vyc29y' }, 'INVALID_CURSOR'],
    [{ label: 'not a label' }, 'INVALID_LABEL'],
  ])('answers 400 to %p with %s', async (query, code) => {
    const res = await api.list(key, query);
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ code, message: expect.any(String), request_id: expect.any(String) });
  });

  it('needs a key with jobs:read', async () => {
    const res = await api.list('tfk_nothing_of_the_sort_000000000000000000');
    expect(res.status).toBe(401);
  });

  it('takes labels at upload (labels=a,b), stores them on the job and filters on them; refuses a bad one', async () => {
    const uploader = await gw.createKey(`itest-list-upload-${rand()}`, ['jobs:read', 'jobs:write']);
    const file = { name: 'video_file', filename: 'clip.mp4', content: randomBytes(2048) };
    const accepted = await upload(gateway.url, uploader, [
      { name: 'labels', value: ' spring-sale, ep:01 ,spring-sale' },
      file,
      { name: 'enable_transcription', value: 'false' },
    ]);
    expect(accepted.status).toBe(202);
    const { job_id } = accepted.json<{ job_id: string }>();
    expect((await api.get(uploader, job_id)).json()).toMatchObject({ labels: ['spring-sale', 'ep:01'] });
    expect((await api.listAll(uploader, { label: 'ep:01' })).ids).toEqual([job_id]);
    expect((await api.listAll(uploader, { label: 'other' })).ids).toEqual([]);

    const refused = await upload(gateway.url, uploader, [{ name: 'labels', value: 'ok,not ok' }, file]);
    expect(refused.status).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'INVALID_LABEL' });
  });

  it('goes through the indexes: (tenant_id, created_at, id), with a status (tenant_id, status, created_at, id), labels (GIN)', async () => {
    // `hidden` indexes are dropped inside the rolled-back transaction: on a few dozen rows the planner's choice among
    // usable indexes is a coin toss, and what this proves is that the index serves the query.
    const plan = async (sql: string, params: unknown[], hidden: string[] = []) => {
      await db.query('BEGIN');
      try {
        await db.query('SET LOCAL enable_seqscan = off');
        for (const index of hidden) await db.query(`DROP INDEX gateway.${index}`);
        const { rows } = await db.query(`EXPLAIN ${sql}`, params);
        return rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
      } finally {
        await db.query('ROLLBACK');
      }
    };
    const keyset = `SELECT id FROM gateway.jobs WHERE tenant_id = $1 AND (created_at, id) < ($2::timestamptz, $3::uuid) ORDER BY created_at DESC, id DESC LIMIT 11`;
    expect(await plan(keyset, [tenant, at(10), expected[0].id])).toMatch(/jobs_tenant_created_id_idx/);
    const byStatus = `SELECT id FROM gateway.jobs WHERE tenant_id = $1 AND status = 'failed' ORDER BY created_at DESC, id DESC LIMIT 11`;
    const statusPlan = await plan(byStatus, [tenant], ['jobs_tenant_created_id_idx', 'jobs_failed_created_idx']);
    expect(statusPlan).toMatch(/jobs_tenant_status_created_id_idx/);
    expect(statusPlan).toMatch(/Index Cond: .*status = 'failed'/);
    expect(await plan(`SELECT id FROM gateway.jobs WHERE labels @> $1::text[]`, [['even']])).toMatch(/jobs_labels_idx/);
    expect(
      await plan(`SELECT id FROM gateway.jobs WHERE status = 'failed' AND created_at >= $1 AND created_at < $2`, [
        at(0),
        at(30),
      ]),
    ).toMatch(/jobs_failed_created_idx/);
  });
});
