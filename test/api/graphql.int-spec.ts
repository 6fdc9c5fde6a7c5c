import { JobView } from '@tf/client';
import { randomUUID } from 'node:crypto';
import {
  IntrospectionQuery,
  buildClientSchema,
  getIntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
} from 'graphql';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { SseClient } from '../gateway/sse-client';
import { waitFor } from '../support/wait';
import {
  ApiStack,
  GqlAnswer,
  clientFor,
  codes,
  gql,
  notAVideo,
  rand,
  record,
  sampleClip,
  startApiStack,
  unsigned,
  waitForStatus,
  wsClient,
} from './api-harness';

const JOB_FIELDS = `
  job_id status overall_progress error { code message } labels attempt
  source { filename bytes content_type media { duration_s width height display_width display_height rotation fps video_codec audio_codec has_audio bit_rate format_name } }
  timeline { stage status queued_at started_at finished_at progress detail retry { attempt next_attempt_at reason } }
  skipped { label reason }
  outputs { kind label url content_type bytes }
  playback { url expires_at }
  created_at updated_at completed_at cancelled_at`;
const JOB = `query($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`;
const JOBS = `query($status: String, $first: Int, $after: String) { jobs(status: $status, first: $first, after: $after) {
  next_cursor jobs { job_id status overall_progress error { code message } labels attempt source { filename bytes content_type } created_at updated_at completed_at cancelled_at } } }`;
const PROGRESS = `subscription($id: ID!) { jobProgress(id: $id) { type job_id status version stage stage_status percent detail error { code message } job { job_id status outputs { kind label } } } }`;

type JobEvent = {
  type: string;
  job_id: string;
  status: string;
  version: number;
  stage: string | null;
  stage_status: string | null;
  percent: number | null;
  job: { status: string } | null;
};

// §8: GraphQL over the same services and authorization as REST, on the real stack.
describe('GraphQL API', () => {
  let stack: ApiStack;
  let tenant: string;
  let key: string;
  let readOnlyKey: string;
  let otherKey: string;
  let completed: JobView;

  beforeAll(async () => {
    stack = await startApiStack();
    tenant = `gql-${rand()}`;
    key = await stack.db.createKey(tenant, ['jobs:read', 'jobs:write']);
    readOnlyKey = await stack.db.createKey(tenant, ['jobs:read']);
    otherKey = await stack.db.createKey(`gql-other-${rand()}`, ['jobs:read', 'jobs:write']);
    const client = clientFor(stack.url, key);
    const { job_id } = await client.uploadFile(await sampleClip('gql.mp4'), {
      targetResolutions: ['360p'],
      enableHls: false,
      enableTranscription: false,
    });
    completed = await waitForStatus(client, job_id, ['completed', 'failed']);
    expect(completed.status).toBe('completed');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('serves the schema pinned in apps/gateway/src/graphql/schema.graphql (built there from the DTO classes, without a server)', async () => {
    const answer = await gql<IntrospectionQuery>(stack.url, key, getIntrospectionQuery());
    expect(answer.errors).toBeUndefined();
    const served = `${printSchema(lexicographicSortSchema(buildClientSchema(answer.data!)))}\n`;
    expect(served).toBe(readFileSync(join(__dirname, '../../apps/gateway/src/graphql/schema.graphql'), 'utf8'));
  });

  it('job(id) answers what GET /api/v1/jobs/:id answers, field for field', async () => {
    const rest = await clientFor(stack.url, key).getJob(completed.job_id);
    const answer = await gql<{ job: JobView }>(stack.url, key, JOB, { id: completed.job_id });
    expect(answer.errors).toBeUndefined();
    expect(unsigned(answer.data!.job)).toEqual(unsigned(rest));
    expect(rest.outputs.length).toBeGreaterThan(0);
    // A queued job (no media, no outputs yet) too.
    const queued = await stack.db.insertJob(tenant, { labels: ['gql'] });
    const [r, g] = await Promise.all([
      clientFor(stack.url, key).getJob(queued.id),
      gql<{ job: JobView }>(stack.url, key, JOB, { id: queued.id }),
    ]);
    expect(g.data!.job).toEqual(r);
  });

  it('jobs(status, first, after) pages like GET /api/v1/jobs', async () => {
    for (let i = 0; i < 3; i++) await stack.db.insertJob(tenant);
    const client = clientFor(stack.url, key);
    const restPage1 = await client.listJobs({ limit: 2 });
    const page1 = await gql<{ jobs: { jobs: unknown[]; next_cursor: string | null } }>(stack.url, key, JOBS, {
      first: 2,
    });
    expect(page1.data!.jobs).toEqual(restPage1);
    expect(page1.data!.jobs.next_cursor).toBeTruthy();
    const restPage2 = await client.listJobs({ limit: 2, cursor: restPage1.next_cursor! });
    const page2 = await gql<{ jobs: unknown }>(stack.url, key, JOBS, { first: 2, after: page1.data!.jobs.next_cursor });
    expect(page2.data!.jobs).toEqual(restPage2);
    const done = await gql<{ jobs: { jobs: { job_id: string; status: string }[] } }>(stack.url, key, JOBS, {
      status: 'completed',
    });
    expect(done.data!.jobs).toEqual(await client.listJobs({ status: 'completed' }));
    expect(done.data!.jobs.jobs.map((j) => j.job_id)).toContain(completed.job_id);
    // The REST route's validation, with its codes.
    expect(codes(await gql(stack.url, key, JOBS, { status: 'nope' }))).toEqual(['INVALID_STATUS']);
    expect(codes(await gql(stack.url, key, JOBS, { after: 'not-a-cursor' }))).toEqual(['INVALID_CURSOR']);
  });

  it('authorizes like REST: no key, unknown key, missing scope, another tenant', async () => {
    const id = completed.job_id;
    expect(codes(await gql(stack.url, null, JOB, { id }))).toEqual(['MISSING_API_KEY']);
    expect(codes(await gql(stack.url, `tfk_${'x'.repeat(43)}`, JOB, { id }))).toEqual(['INVALID_API_KEY']);
    // Another tenant's job is as absent as an unknown one: null for a query, JOB_NOT_FOUND for a change.
    expect(await gql(stack.url, otherKey, JOB, { id })).toEqual({ data: { job: null } });
    expect(await gql(stack.url, key, JOB, { id: randomUUID() })).toEqual({ data: { job: null } });
    const otherList = await gql<{ jobs: { jobs: { job_id: string }[] } }>(stack.url, otherKey, JOBS, {});
    expect(otherList.data!.jobs.jobs.map((j) => j.job_id)).not.toContain(id);
    expect(
      codes(await gql(stack.url, otherKey, `mutation($id: ID!) { cancelJob(id: $id) { status } }`, { id })),
    ).toEqual(['JOB_NOT_FOUND']);
    expect(
      codes(await gql(stack.url, readOnlyKey, `mutation($id: ID!) { retryJob(id: $id) { status } }`, { id })),
    ).toEqual(['INSUFFICIENT_SCOPE']);
    // The same answers REST gives for the same calls.
    const rest = await request(`${stack.url}/api/v1/jobs/${id}/retry`, {
      method: 'POST',
      headers: { 'x-api-key': readOnlyKey },
    });
    expect([rest.statusCode, ((await rest.body.json()) as { code: string }).code]).toEqual([403, 'INSUFFICIENT_SCOPE']);
  });

  it("cancelJob and retryJob go through the REST routes' service", async () => {
    const client = clientFor(stack.url, key);
    const queued = await stack.db.insertJob(tenant);
    const cancelled = await gql<{ cancelJob: { job_id: string; status: string; cancelled_at: string } }>(
      stack.url,
      key,
      `mutation($id: ID!) { cancelJob(id: $id, reason: "test") { job_id status cancelled_at } }`,
      { id: queued.id },
    );
    expect(cancelled.data!.cancelJob).toEqual({
      job_id: queued.id,
      status: 'cancelled',
      cancelled_at: expect.any(String),
    });
    expect((await client.getJob(queued.id)).status).toBe('cancelled');
    // Not retryable: the job did not fail.
    expect(
      codes(await gql(stack.url, key, `mutation($id: ID!) { retryJob(id: $id) { status } }`, { id: completed.job_id })),
    ).toEqual(['JOB_NOT_RETRYABLE']);
    // A job the validator failed (not a video) is retried from its failed stage.
    const { job_id } = await client.uploadFile(notAVideo(), { enableHls: false, enableTranscription: false });
    const failed = await waitForStatus(client, job_id, ['failed', 'completed']);
    expect(failed.status).toBe('failed');
    const retried = await gql<{
      retryJob: { job_id: string; status: string; attempt: number; restarted_stages: string[] };
    }>(stack.url, key, `mutation($id: ID!) { retryJob(id: $id) { job_id status attempt restarted_stages } }`, {
      id: job_id,
    });
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.retryJob).toEqual({
      job_id,
      status: 'processing',
      attempt: 2,
      restarted_stages: expect.arrayContaining(['validate']),
    });
    expect((await client.getJob(job_id)).attempt).toBe(2);
  });

  it('createUpload + PUT + submitJob start a job; jobProgress streams it (same events as SSE) to completed', async () => {
    const file = await sampleClip('gql-direct.mp4', 8, [640, 360]);
    const bytes = statSync(file).size;
    const created = await gql<{
      createUpload: {
        upload_id: string;
        status: string;
        mode: string;
        upload: { method: string; url: string; headers: { name: string; value: string }[] };
      };
    }>(
      stack.url,
      key,
      `mutation($input: CreateUploadInput!) { createUpload(input: $input) { upload_id status mode upload { method url headers { name value } } } }`,
      {
        input: {
          filename: 'gql-direct.mp4',
          bytes,
          target_resolutions: ['360p'],
          enable_hls: false,
          enable_transcription: false,
        },
      },
    );
    expect(created.errors).toBeUndefined();
    const upload = created.data!.createUpload;
    expect(upload).toMatchObject({ status: 'pending', mode: 'single', upload: { method: 'PUT' } });
    const put = await request(upload.upload.url, {
      method: 'PUT',
      body: readFileSync(file),
      headers: Object.fromEntries(upload.upload.headers.map((h) => [h.name, h.value])),
    });
    await put.body.dump();
    expect(put.statusCode).toBe(200);
    const submitted = await gql<{ submitJob: { job_id: string; upload_id: string } }>(
      stack.url,
      key,
      `mutation($id: ID!) { submitJob(upload_id: $id) { job_id upload_id } }`,
      { id: upload.upload_id },
    );
    expect(submitted.errors).toBeUndefined();
    const jobId = submitted.data!.submitJob.job_id;
    expect(submitted.data!.submitJob.upload_id).toBe(upload.upload_id);

    // Both fed by the one LISTEN hub: the subscription and an SSE stream of the same job.
    const ws = wsClient(stack.url, { 'X-API-Key': key });
    const sub = record<JobEvent>(ws, PROGRESS, { id: jobId }, 'jobProgress');
    const sse = await SseClient.open(`${stack.url}/api/v1/events/jobs/${jobId}`, key);
    await sub.done;
    await sse.waitForEnd(600_000);
    await ws.dispose();

    expect(sub.errors).toEqual([]);
    const events = sub.events;
    expect(events[0]).toMatchObject({ type: 'state', job_id: jobId });
    expect(events[events.length - 1]).toMatchObject({
      type: 'completed',
      status: 'completed',
      job: { status: 'completed' },
    });
    expect(events.some((e) => e.type === 'progress' && e.stage === 'transcode' && typeof e.percent === 'number')).toBe(
      true,
    );
    const versions = events.map((e) => e.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    // Past both snapshots, the same changes in the same order.
    const since = Math.max(events[0].version, Number(sse.events[0].id));
    const fromSse = sse.events.filter((e) => Number(e.id) > since).map((e) => `${e.event}@${e.id}`);
    expect(events.filter((e) => e.version > since).map((e) => `${e.type}@${e.version}`)).toEqual(fromSse);
    expect((await clientFor(stack.url, key).getJob(jobId)).status).toBe('completed');
  });

  it("graphql-ws authorizes like REST: no key closes the socket, another tenant's job is JOB_NOT_FOUND", async () => {
    const anonymous = wsClient(stack.url, {});
    const refused = record(anonymous, PROGRESS, { id: completed.job_id }, 'jobProgress');
    await refused.done;
    expect(refused.events).toEqual([]);
    expect(String((refused.errors[0] as { code?: number }).code ?? refused.errors[0])).toMatch(/4403|Forbidden/);
    await anonymous.dispose();

    const other = wsClient(stack.url, { 'X-API-Key': otherKey });
    const hidden = record(other, PROGRESS, { id: completed.job_id }, 'jobProgress');
    await hidden.done;
    expect(hidden.events).toEqual([]);
    expect(hidden.errors.map((e) => (e as { extensions?: { code?: string } }).extensions?.code)).toEqual([
      'JOB_NOT_FOUND',
    ]);
    await other.dispose();

    // A terminal job: its state, then the end of the subscription.
    const own = wsClient(stack.url, { 'x-api-key': key });
    const done = record<JobEvent>(own, PROGRESS, { id: completed.job_id }, 'jobProgress');
    await done.done;
    expect(done.events.map((e) => [e.type, e.status])).toEqual([['state', 'completed']]);
    await own.dispose();
  });

  it('ends a jobProgress subscription with a KEY_REVOKED event once its key is revoked', async () => {
    const doomedKey = await stack.db.createKey(tenant, ['jobs:read']);
    const queued = await stack.db.insertJob(tenant);
    const client = wsClient(stack.url, { 'X-API-Key': doomedKey });
    const sub = record<JobEvent & { error: { code: string } | null }>(
      client,
      PROGRESS,
      { id: queued.id },
      'jobProgress',
    );
    await waitFor('the state event', async () => sub.events.length > 0);
    expect(await stack.db.revokeKey(doomedKey)).toBe(1);
    await waitFor('the subscription to end', async () => sub.finished || undefined, 60_000);
    expect(sub.events.map((e) => [e.type, e.status, e.error?.code ?? null])).toEqual([
      ['state', 'queued', null],
      ['error', 'queued', 'KEY_REVOKED'],
    ]);
    await client.dispose();
  });

  it('errors carry the REST codes in extensions.code', async () => {
    const answer: GqlAnswer<unknown> = await gql(
      stack.url,
      key,
      `mutation { createUpload(input: { filename: "x.mp4", bytes: 0 }) { upload_id } }`,
    );
    expect(codes(answer)).toEqual(['EMPTY_FILE']);
    expect(
      codes(
        await gql(stack.url, key, `mutation($id: ID!) { submitJob(upload_id: $id) { job_id } }`, { id: randomUUID() }),
      ),
    ).toEqual(['UPLOAD_NOT_FOUND']);
  });
});
