import { mkdtemp, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { TranscodeFlowClient } from '@tf/client';
import { JobFailed, JobSpec, VideoCompleted, newEnvelope } from '@tf/contracts';
import { makeSampleClip } from '@tf/testing';
import { verifyWebhookSignature } from '../../apps/notifier/src/webhook-signature';
import { EventPublisher, GatewayProcess, connectDb, newBootstrapKey, startGateway } from '../gateway/gateway-harness';
import { ReceivedRequest, WebhookReceiver, startWebhookReceiver } from '../notifier/webhook-receiver';
import { ServiceProcess, startTsProcess } from '../support/processes';
import { waitFor } from '../support/wait';
import {
  Api,
  createKey,
  ensureGroupsRunCurrentCode,
  v1Entries,
  waitForNotifierApplied,
  waitForProjectedEndpoint,
} from './webhooks-harness';

// Tenant webhook endpoints end to end on the real stack: the gateway's API (a gateway started on a free
// port) → WebhookEndpointChanged → the notifier's projection (a notifier started here, next to any
// services.sh one) → signed POSTs to local receivers → WebhookDeliveryRecorded → the gateway's log.

type Json = Record<string, unknown>;
type Endpoint = { id: string; secret: string; url: string };

describe('webhooks: tenant endpoints, signatures, rotation, delivery log, redelivery', () => {
  const run = randomUUID().slice(0, 8);
  const tenantA = `itest-wh-a-${run}`;
  const tenantB = `itest-wh-b-${run}`;
  const receivers: WebhookReceiver[] = [];
  let db: Client;
  let events: EventPublisher;
  let gateway: GatewayProcess;
  let notifier: ServiceProcess;
  let stages: ServiceProcess[] = [];
  let a: Api;
  let b: Api;
  let keyA: string;
  let readOnlyA: Api;
  let hookA: WebhookReceiver;
  let hookB: WebhookReceiver;
  let endpointA: Endpoint;
  let endpointB: Endpoint;

  const receiver = async (respond: (n: number) => number = () => 200) => {
    const r = await startWebhookReceiver(respond);
    receivers.push(r);
    return r;
  };
  const requestsFor = (hook: WebhookReceiver, jobId: string) =>
    hook.requests.filter((r) => (JSON.parse(r.body) as Json).job_id === jobId);
  const waitForRequests = (hook: WebhookReceiver, jobId: string, n: number) =>
    waitFor(
      `${n} request(s) for job ${jobId}`,
      async () => (requestsFor(hook, jobId).length >= n ? requestsFor(hook, jobId) : undefined),
      180_000,
    );
  const verifies = (secret: string, r: ReceivedRequest) =>
    verifyWebhookSignature(secret, r.headers['tf-signature'] as string, r.body, 300);

  const spec = (tenant: string, webhookUrl: string | null = null): JobSpec => ({
    tenant_id: tenant,
    target_resolutions: ['360p'],
    enable_hls: false,
    enable_transcription: false,
    webhook_url: webhookUrl,
    priority: 'normal',
    language: null,
  });
  const videoCompleted = (tenant: string, webhookUrl: string | null = null): VideoCompleted => ({
    ...newEnvelope(randomUUID()),
    spec: spec(tenant, webhookUrl),
    outputs: [
      {
        kind: 'rendition',
        label: '360p',
        object: { bucket: 'processed-videos', key: 'x/360p.mp4', bytes: 1, content_type: 'video/mp4' },
      },
    ],
  });

  /** The tenant's delivery log for a job once it shows `predicate`. */
  const waitForLog = (api: Api, query: string, predicate: (items: Json[]) => boolean) =>
    waitFor(
      `delivery log ${query}`,
      async () => {
        const res = await api.get(`/api/v1/webhooks/deliveries?${query}`);
        if (res.status !== 200) return undefined;
        const items = res.json<{ data: Json[] }>().data;
        return predicate(items) ? items : undefined;
      },
      180_000,
    );

  const createEndpoint = async (api: Api, body: Json): Promise<Endpoint> => {
    const res = await api.post('/api/v1/webhooks/endpoints', body);
    expect(res.status).toBe(201);
    const created = res.json<{ id: string; secret: string; url: string }>();
    await waitForProjectedEndpoint(db, created.id, 1);
    return created;
  };

  beforeAll(async () => {
    db = await connectDb();
    events = await EventPublisher.connect();
    await ensureGroupsRunCurrentCode();
    notifier = startTsProcess('apps/notifier/src/main.ts', {
      TF_HTTP_PORT: '0',
      TF_WEBHOOK_BASE_DELAY_MS: '200',
      TF_WEBHOOK_MAX_ATTEMPTS: '4',
    });
    // The real job below needs the stages it asks for (no HLS, no transcription): validator and transcoder.
    stages = [
      startTsProcess('apps/validator/src/main.ts', { TF_HTTP_PORT: '0' }),
      startTsProcess('apps/transcoder/src/main.ts', { TF_HTTP_PORT: '0' }),
    ];
    gateway = await startGateway({ TF_BOOTSTRAP_API_KEY: newBootstrapKey() });
    await notifier.waitForOutput(/joined group tf-notifier/, 120_000);
    await Promise.all(stages.map((stage) => stage.waitForOutput(/joined group tf-(validator|transcoder)/, 120_000)));
    keyA = createKey(tenantA, 'admin');
    a = new Api(gateway.url, keyA);
    b = new Api(gateway.url, createKey(tenantB, 'admin'));
    readOnlyA = new Api(gateway.url, createKey(tenantA, 'jobs:read'));
    hookA = await receiver();
    hookB = await receiver();
  });

  afterAll(async () => {
    await Promise.all([notifier?.kill(), gateway?.stop(), ...stages.map((stage) => stage.kill())]);
    await Promise.all(receivers.map((r) => r.close()));
    await events?.disconnect();
    await db?.end();
  });

  it('registers endpoints per tenant: admin only, the secret shown once, validated, invisible to other tenants', async () => {
    expect((await readOnlyA.post('/api/v1/webhooks/endpoints', { url: hookA.url })).json()).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
    });
    const bad = await a.post('/api/v1/webhooks/endpoints', { url: 'ftp://example.test/hook' });
    expect([bad.status, bad.json().code]).toEqual([400, 'INVALID_WEBHOOK_URL']);
    expect(
      (await a.post('/api/v1/webhooks/endpoints', { url: hookA.url, events: ['video.uploaded'] })).json().code,
    ).toBe('INVALID_EVENTS');

    endpointA = await createEndpoint(a, { url: hookA.url, events: ['video.completed', 'job.failed'] });
    expect(endpointA.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    endpointB = await createEndpoint(b, { url: hookB.url });

    const listA = (await readOnlyA.get('/api/v1/webhooks/endpoints')).json<{ data: Json[] }>().data;
    expect(listA).toEqual([
      {
        id: endpointA.id,
        url: hookA.url,
        events: ['video.completed', 'job.failed'],
        enabled: true,
        created_at: expect.any(String),
        updated_at: expect.any(String),
        secret_rotated_at: null,
        previous_secret_expires_at: null,
      },
    ]);
    expect(JSON.stringify(listA)).not.toContain('whsec_');
    expect((await b.get('/api/v1/webhooks/endpoints')).json<{ data: Json[] }>().data.map((e) => e.id)).toEqual([
      endpointB.id,
    ]);

    for (const res of [
      await b.get(`/api/v1/webhooks/endpoints/${endpointA.id}`),
      await b.post(`/api/v1/webhooks/endpoints/${endpointA.id}/rotate-secret`),
      await b.call('PATCH', `/api/v1/webhooks/endpoints/${endpointA.id}`, { enabled: false }),
      await b.call('DELETE', `/api/v1/webhooks/endpoints/${endpointA.id}`),
    ]) {
      expect([res.status, res.json().code]).toEqual([404, 'ENDPOINT_NOT_FOUND']);
    }
  });

  it("delivers a real job of tenant A to A's endpoint only, signed with its secret, and logs it for A alone", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tf-wh-'));
    let jobId: string;
    try {
      const client = new TranscodeFlowClient({ baseUrl: gateway.url, apiKey: keyA });
      const clip = await makeSampleClip(join(dir, 'clip.mp4'), {
        width: 640,
        height: 360,
        durationS: 2,
        fps: 15,
        tone: true,
      });
      ({ job_id: jobId } = await client.uploadFile(clip, {
        targetResolutions: ['360p'],
        enableHls: false,
        enableTranscription: false,
      }));
      expect((await client.waitForJob(jobId)).status).toBe('completed');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const [request] = await waitForRequests(hookA, jobId, 1);
    const body = JSON.parse(request.body) as Json;
    expect(body).toMatchObject({ type: 'video.completed', job_id: jobId });
    expect(request.headers).toMatchObject({
      'tf-event-id': body.event_id,
      'idempotency-key': body.event_id,
      'user-agent': 'TranscodeFlow-Webhooks/1',
    });
    expect(v1Entries(request.headers['tf-signature'])).toHaveLength(1);
    expect(verifies(endpointA.secret, request)).toBe(true);
    expect(verifies(endpointB.secret, request)).toBe(false);

    const [logged] = await waitForLog(
      a,
      `job_id=${jobId}`,
      (items) => items.length === 1 && items[0].status === 'delivered',
    );
    expect(logged).toMatchObject({
      job_id: jobId,
      event_id: body.event_id,
      event_type: 'video.completed',
      endpoint_id: endpointA.id,
      url: hookA.url,
      attempts: 1,
      series: 1,
      last_status_code: 200,
    });
    expect(logged.attempt_log).toEqual([
      {
        number: 1,
        series: 1,
        started_at: expect.any(String),
        duration_ms: expect.any(Number),
        status_code: 200,
        error: null,
      },
    ]);

    // Tenant B: its endpoint never saw the job, and A's job and delivery do not exist for it.
    const deliveredForB = await db.query(
      `SELECT 1 FROM notifier.webhook_deliveries WHERE job_id = $1 AND endpoint_id = $2`,
      [jobId, endpointB.id],
    );
    expect(deliveredForB.rows).toEqual([]);
    expect(requestsFor(hookB, jobId)).toEqual([]);
    expect((await b.get(`/api/v1/webhooks/deliveries?job_id=${jobId}`)).json()).toMatchObject({
      code: 'JOB_NOT_FOUND',
    });
    expect((await b.get(`/api/v1/webhooks/deliveries/${logged.id}`)).status).toBe(404);
    expect((await b.post(`/api/v1/webhooks/deliveries/${logged.id}/redeliver`)).json()).toMatchObject({
      code: 'DELIVERY_NOT_FOUND',
    });
    expect((await b.get(`/api/v1/webhooks/deliveries?endpoint_id=${endpointA.id}`)).json()).toMatchObject({
      code: 'ENDPOINT_NOT_FOUND',
    });
    expect((await b.get('/api/v1/webhooks/deliveries')).json<{ data: Json[] }>().data.map((d) => d.id)).not.toContain(
      logged.id,
    );
  });

  it('rotates the secret: both sign during the grace window, only the new one after it', async () => {
    const rotated = await a.post(`/api/v1/webhooks/endpoints/${endpointA.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const { secret: second, previous_secret_expires_at: graceEnd } = rotated.json<{
      secret: string;
      previous_secret_expires_at: string;
    }>();
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(endpointA.secret);
    // TF_WEBHOOK_ROTATION_GRACE_S defaults to 24 h.
    expect(Date.parse(graceEnd) - Date.now()).toBeGreaterThan(23 * 3600_000);
    await waitForProjectedEndpoint(db, endpointA.id, 2);

    const during = videoCompleted(tenantA);
    await events.publish('VideoCompleted', during);
    const [signedTwice] = await waitForRequests(hookA, during.job_id, 1);
    expect(v1Entries(signedTwice.headers['tf-signature'])).toHaveLength(2);
    expect(verifies(second, signedTwice)).toBe(true);
    expect(verifies(endpointA.secret, signedTwice)).toBe(true);
    expect(requestsFor(hookB, during.job_id)).toEqual([]);

    // A second rotation with a 1 s grace: once it is over, only the newest secret signs.
    const again = (
      await a.post(`/api/v1/webhooks/endpoints/${endpointA.id}/rotate-secret`, { grace_period_s: 1 })
    ).json<{ secret: string; previous_secret_expires_at: string }>();
    await waitForProjectedEndpoint(db, endpointA.id, 3);
    await waitFor(
      'the 1 s grace window to end',
      async () => Date.now() > Date.parse(again.previous_secret_expires_at) + 100,
      10_000,
      100,
    );
    const after = videoCompleted(tenantA);
    await events.publish('VideoCompleted', after);
    const [signedOnce] = await waitForRequests(hookA, after.job_id, 1);
    expect(v1Entries(signedOnce.headers['tf-signature'])).toHaveLength(1);
    expect(verifies(again.secret, signedOnce)).toBe(true);
    expect(verifies(second, signedOnce)).toBe(false);
    expect(verifies(endpointA.secret, signedOnce)).toBe(false);
    endpointA = { ...endpointA, secret: again.secret };

    const view = (await a.get(`/api/v1/webhooks/endpoints/${endpointA.id}`)).json();
    expect(view).toMatchObject({ secret_rotated_at: expect.any(String), previous_secret_expires_at: null });
  });

  it('logs every attempt, and a redelivery sends the same event again as a new attempt series', async () => {
    const flaky = await receiver((n) => (n === 1 ? 500 : 200));
    const failures = await createEndpoint(a, { url: flaky.url, events: ['job.failed'] });
    const failed: JobFailed = {
      ...newEnvelope(randomUUID()),
      spec: spec(tenantA),
      stage: 'transcode',
      code: 'TRANSCODE_FAILED',
      message: 'gave up',
      retryable: false,
    };
    await events.publish('JobFailed', failed);

    await waitForRequests(flaky, failed.job_id, 2);
    const [first] = await waitForLog(
      a,
      `endpoint_id=${failures.id}`,
      (items) => items.length === 1 && items[0].status === 'delivered',
    );
    expect(first).toMatchObject({
      job_id: failed.job_id,
      event_id: failed.event_id,
      event_type: 'job.failed',
      attempts: 2,
      series: 1,
      last_status_code: 200,
      last_error: null,
    });
    expect((first.attempt_log as Json[]).map((x) => [x.number, x.series, x.status_code])).toEqual([
      [1, 1, 500],
      [2, 1, 200],
    ]);
    expect((first.attempt_log as Json[])[0].error).toMatch(/^HTTP 500/);
    // job.failed only: A's first endpoint subscribes to it too; B's endpoint does not get A's failure.
    expect(requestsFor(hookB, failed.job_id)).toEqual([]);

    const redeliver = await a.post(`/api/v1/webhooks/deliveries/${first.id}/redeliver`);
    expect(redeliver.status).toBe(202);
    expect(redeliver.json()).toMatchObject({ delivery_id: first.id, status: 'redelivery_requested' });

    const requests = await waitForRequests(flaky, failed.job_id, 3);
    expect(requests.map((r) => r.headers['tf-event-id'])).toEqual([failed.event_id, failed.event_id, failed.event_id]);
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    expect(verifies(failures.secret, requests[2])).toBe(true);
    const [again] = await waitForLog(
      a,
      `endpoint_id=${failures.id}`,
      (items) => items[0]?.series === 2 && items[0]?.status === 'delivered',
    );
    expect(again).toMatchObject({ id: first.id, attempts: 3, series: 2 });
    expect((again.attempt_log as Json[]).map((x) => [x.number, x.series, x.status_code])).toEqual([
      [1, 1, 500],
      [2, 1, 200],
      [3, 2, 200],
    ]);
    const attempts = await db.query(
      `SELECT attempt, series, status_code FROM notifier.webhook_attempts WHERE delivery_id = $1 ORDER BY attempt`,
      [first.id],
    );
    expect(attempts.rows).toEqual([
      { attempt: 1, series: 1, status_code: 500 },
      { attempt: 2, series: 1, status_code: 200 },
      { attempt: 3, series: 2, status_code: 200 },
    ]);
  });

  it('pages the log, and a deleted endpoint gets nothing more (nor redeliveries)', async () => {
    const page1 = (await a.get('/api/v1/webhooks/deliveries?limit=1')).json<{ data: Json[]; next_cursor: string }>();
    expect(page1.data).toHaveLength(1);
    expect(page1.next_cursor).toEqual(expect.any(String));
    const page2 = (await a.get(`/api/v1/webhooks/deliveries?limit=1&cursor=${page1.next_cursor}`)).json<{
      data: Json[];
    }>();
    expect(page2.data).toHaveLength(1);
    expect(page2.data[0].id).not.toBe(page1.data[0].id);
    expect(Date.parse(String(page2.data[0].created_at))).toBeLessThanOrEqual(
      Date.parse(String(page1.data[0].created_at)),
    );
    expect((await a.get('/api/v1/webhooks/deliveries?cursor=nonsense')).json().code).toBe('INVALID_CURSOR');

    const [old] = await waitForLog(
      a,
      `endpoint_id=${endpointA.id}&status=delivered&limit=1`,
      (items) => items.length === 1,
    );
    expect((await a.call('DELETE', `/api/v1/webhooks/endpoints/${endpointA.id}`)).status).toBe(204);
    expect((await a.get(`/api/v1/webhooks/endpoints/${endpointA.id}`)).status).toBe(404);
    await waitForProjectedEndpoint(db, endpointA.id, 4);
    expect((await a.post(`/api/v1/webhooks/deliveries/${old.id}/redeliver`)).json()).toMatchObject({
      code: 'ENDPOINT_DELETED',
    });

    // The job's own webhook_url still gets the event (signed with the notifier's secret); the deleted endpoint does not.
    const jobHook = await receiver();
    const event = videoCompleted(tenantA, jobHook.url);
    await events.publish('VideoCompleted', event);
    await waitForNotifierApplied(db, event.event_id);
    const rows = await db.query(`SELECT endpoint_id FROM notifier.webhook_deliveries WHERE event_id = $1`, [
      event.event_id,
    ]);
    expect(rows.rows).toEqual([{ endpoint_id: null }]);
    await waitForRequests(jobHook, event.job_id, 1);
    expect(requestsFor(hookA, event.job_id)).toEqual([]);
  });
});
