import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { Buckets, ObjectStorage } from '@tf/storage';
import { repoRoot } from '../support/processes';
import { waitFor } from '../support/wait';
import {
  FormPart,
  GatewayProcess,
  connectDb,
  getJob,
  multipart,
  newBootstrapKey,
  send,
  startGateway,
  upload,
} from './gateway-harness';
import { rawRequest } from './raw-http';

const MAX_UPLOAD_BYTES = 1024 * 1024;
const SOURCE_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/source/;

/** A key made on the gateway database with `tflow admin create-key`, as an operator would. */
function cliCreateKey(tenant: string, scopes: string): string {
  const out = execFileSync(
    process.execPath,
    [join(repoRoot, 'bin/tflow.js'), 'admin', 'create-key', '--tenant', tenant, '--scopes', scopes],
    { cwd: '/', encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return out.trim();
}

const video = (bytes: number, filename = 'clip.mp4'): FormPart => ({
  name: 'video_file',
  filename,
  content: randomBytes(bytes),
});

// The gateway's HTTP edge on the real stack: upload → S3 + job row + VideoUploaded (outbox, relayed), the 4xx answers, keys and tenants.
describe('gateway upload API', () => {
  const apiKey = newBootstrapKey();
  const storage = new ObjectStorage();
  let gateway: GatewayProcess;
  let db: Client;

  /** Source objects the gateway stored ({uuid}/source*); for "nothing stored" checks. */
  const storedSources = async () =>
    new Set((await storage.listKeys(Buckets.raw, '')).filter((k) => SOURCE_KEY.test(k)));
  /** Runs `act` and expects it to leave no new source object behind (and answers its response). */
  const expectNothingStored = async <T>(act: () => Promise<T>): Promise<T> => {
    const before = await storedSources();
    const result = await act();
    const added = [...(await storedSources())].filter((k) => !before.has(k));
    expect(added).toEqual([]);
    return result;
  };

  beforeAll(async () => {
    db = await connectDb();
    // As deployed: webhooks only to public addresses.
    gateway = await startGateway({
      TF_BOOTSTRAP_API_KEY: apiKey,
      TF_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
      TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false',
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await db?.end();
  });

  it('accepts an upload: 202, the source in raw-videos, the job row, and a VideoUploaded relayed from the outbox', async () => {
    const content = randomBytes(300_000);
    const res = await upload(gateway.url, apiKey, [
      { name: 'target_resolutions', value: '720p,360p' },
      { name: 'video_file', filename: 'holiday.mp4', content },
      { name: 'enable_transcription', value: 'false' },
      { name: 'priority', value: 'high' },
      { name: 'webhook_url', value: 'https://hooks.example.com/tf' },
    ]);
    expect(res.status).toBe(202);
    const { job_id, status } = res.json<{ job_id: string; status: string }>();
    expect(status).toBe('queued');

    expect(await storage.exists(Buckets.raw, `${job_id}/source.mp4`)).toBe(true);
    const stored = await storage.client.statObject(Buckets.raw, `${job_id}/source.mp4`);
    expect(stored.size).toBe(content.length);

    const { rows: jobs } = await db.query(`SELECT tenant_id, status, spec FROM gateway.jobs WHERE id = $1`, [job_id]);
    expect(jobs).toEqual([
      {
        tenant_id: 'default',
        status: expect.any(String),
        spec: {
          tenant_id: 'default',
          target_resolutions: ['360p', '720p'],
          enable_hls: true,
          enable_transcription: false,
          webhook_url: 'https://hooks.example.com/tf',
          priority: 'high',
          language: null,
        },
      },
    ]);

    const sent = await waitFor('VideoUploaded relayed', async () => {
      const { rows } = await db.query(
        `SELECT type, topic, payload, sent_at FROM gateway.outbox WHERE aggregateid = $1`,
        [job_id],
      );
      return rows.length === 1 && rows[0].sent_at ? rows : undefined;
    });
    expect(sent[0]).toMatchObject({
      type: 'VideoUploaded',
      // A high-priority job's events travel in the high lane of each topic.
      topic: 'tf.video.uploaded.high',
      payload: {
        job_id,
        original_filename: 'holiday.mp4',
        source: { bucket: 'raw-videos', key: `${job_id}/source.mp4`, bytes: content.length, content_type: 'video/mp4' },
        spec: { tenant_id: 'default', priority: 'high' },
      },
    });

    const view = (await getJob(gateway.url, apiKey, job_id)).json();
    expect(view).toMatchObject({
      job_id,
      source: { filename: 'holiday.mp4', bytes: content.length, content_type: 'video/mp4', media: null },
      error: null,
      outputs: [],
    });
    expect((view.timeline as Array<{ stage: string }>).map((t) => t.stage)).toEqual([
      'upload',
      'validate',
      'transcode',
      'package',
    ]);
  });

  it('answers 400 NO_FILE without a file', async () => {
    const res = await expectNothingStored(() =>
      upload(gateway.url, apiKey, [{ name: 'target_resolutions', value: '360p' }]),
    );
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ code: 'NO_FILE', message: expect.any(String), request_id: expect.any(String) });
  });

  it('answers 400 EMPTY_FILE for zero bytes', async () => {
    const res = await expectNothingStored(() => upload(gateway.url, apiKey, [video(0)]));
    expect(res.status).toBe(400);
    expect(res.json().code).toBe('EMPTY_FILE');
  });

  it('answers 400 UNKNOWN_RESOLUTION, before or after the file, and deletes what was stored', async () => {
    for (const parts of [
      [{ name: 'target_resolutions', value: '360p,999p' }, video(200_000)],
      [video(600_000), { name: 'target_resolutions', value: '999p' }],
    ]) {
      const res = await expectNothingStored(() => upload(gateway.url, apiKey, parts));
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({
        code: 'UNKNOWN_RESOLUTION',
        message: expect.stringContaining('999p'),
        request_id: expect.any(String),
      });
    }
  });

  it('answers 400 INVALID_WEBHOOK_URL and INVALID_PRIORITY', async () => {
    const bad = await expectNothingStored(() =>
      upload(gateway.url, apiKey, [video(10_000), { name: 'webhook_url', value: 'ftp://example.com/hook' }]),
    );
    expect(bad.status).toBe(400);
    expect(bad.json().code).toBe('INVALID_WEBHOOK_URL');
    const prio = await expectNothingStored(() =>
      upload(gateway.url, apiKey, [{ name: 'priority', value: 'asap' }, video(10_000)]),
    );
    expect(prio.json().code).toBe('INVALID_PRIORITY');
  });

  it('answers 400 WEBHOOK_URL_FORBIDDEN for webhook URLs inside the network (uploads and endpoints), storing nothing', async () => {
    for (const url of [
      'http://127.0.0.1:9000/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://localhost:8080/hook',
      'http://[::1]/hook',
    ]) {
      const res = await expectNothingStored(() =>
        upload(gateway.url, apiKey, [video(10_000), { name: 'webhook_url', value: url }]),
      );
      expect([url, res.status, res.json().code]).toEqual([url, 400, 'WEBHOOK_URL_FORBIDDEN']);
    }
    const endpoint = await send(`${gateway.url}/api/v1/webhooks/endpoints`, {
      method: 'POST',
      headers: { 'X-API-Key': apiKey, 'Content-Type': 'application/json' },
      body: Buffer.from(JSON.stringify({ url: 'http://10.0.0.8/hooks' })),
    });
    expect([endpoint.status, endpoint.json().code]).toEqual([400, 'WEBHOOK_URL_FORBIDDEN']);
  });

  it('answers 413 UPLOAD_TOO_LARGE above TF_MAX_UPLOAD_BYTES and deletes the partial object', async () => {
    const res = await expectNothingStored(() => upload(gateway.url, apiKey, [video(MAX_UPLOAD_BYTES + 512 * 1024)]));
    expect(res.status).toBe(413);
    expect(res.json().code).toBe('UPLOAD_TOO_LARGE');
  });

  it('answers 415 NOT_MULTIPART for other bodies', async () => {
    const res = await send(`${gateway.url}/api/v1/jobs/upload`, {
      method: 'POST',
      headers: { 'X-API-Key': apiKey, 'Content-Type': 'application/json' },
      body: Buffer.from('{}'),
    });
    expect(res.status).toBe(415);
    expect(res.json().code).toBe('NOT_MULTIPART');
  });

  it('answers 400 UNKNOWN_FIELD naming a typo (not a 202 with the default ladder), storing nothing', async () => {
    const res = await expectNothingStored(() =>
      upload(gateway.url, apiKey, [{ name: 'target_resolution', value: '1080p' }, video(50_000)]),
    );
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      code: 'UNKNOWN_FIELD',
      message: expect.stringContaining('"target_resolution" (did you mean "target_resolutions"?)'),
      request_id: expect.any(String),
    });
  });

  it('answers 400 instead of dropping what is past the form limits: 40 fields (webhook_url last), 9 file parts, a 70 KB field', async () => {
    const fields = Array.from({ length: 39 }, (_, i) => ({ name: 'labels', value: `l${i}` }));
    const many = await expectNothingStored(() =>
      upload(gateway.url, apiKey, [
        ...fields,
        { name: 'webhook_url', value: 'https://hooks.example.com/tf' },
        video(10_000),
      ]),
    );
    expect([many.status, many.json().code]).toEqual([400, 'DUPLICATE_FIELD']);
    // The video as the 9th file part was never seen: NO_FILE before.
    const files = Array.from({ length: 8 }, (_, i) => ({
      name: `extra_${i}`,
      filename: `x${i}.bin`,
      content: randomBytes(100),
    }));
    const nine = await expectNothingStored(() => upload(gateway.url, apiKey, [...files, video(10_000)]));
    expect([nine.status, nine.json().code]).toEqual([400, 'UNKNOWN_FIELD']);
    const two = await expectNothingStored(() =>
      upload(gateway.url, apiKey, [video(10_000), video(10_000, 'second.mp4')]),
    );
    expect([two.status, two.json().code]).toEqual([400, 'MULTIPLE_FILES']);
    const big = await expectNothingStored(() =>
      upload(gateway.url, apiKey, [
        { name: 'webhook_url', value: `https://hooks.example.com/${'x'.repeat(70_000)}` },
        video(10_000),
      ]),
    );
    expect([big.status, big.json().code]).toEqual([400, 'FIELD_TOO_LARGE']);
  });

  it('keeps a UTF-8 filename as sent, in the job row and the job view', async () => {
    const filename = 'vidéo été — 日本語 😀.mp4';
    const res = await upload(gateway.url, apiKey, [video(20_000, filename)]);
    expect(res.status).toBe(202);
    const { job_id } = res.json<{ job_id: string }>();
    const { rows } = await db.query(`SELECT original_filename FROM gateway.jobs WHERE id = $1`, [job_id]);
    expect(rows).toEqual([{ original_filename: filename }]);
    expect((await getJob(gateway.url, apiKey, job_id)).json<{ source: { filename: string } }>().source.filename).toBe(
      filename,
    );
  });

  it('refuses a bad field sent before the file at once: the answer comes while the body is still being sent, and nothing is stored', async () => {
    const { body, contentType } = multipart([{ name: 'target_resolutions', value: '999p' }, video(100_000)]);
    const port = Number(new URL(gateway.url).port);
    // Half of the body, and a Content-Length for all of it: the rest never comes, the answer must not wait for it.
    const sent = body.subarray(0, body.length / 2);
    const res = await expectNothingStored(() =>
      rawRequest(port, {
        method: 'POST',
        target: '/api/v1/jobs/upload',
        headers: [
          ['X-API-Key', apiKey],
          ['Content-Type', contentType],
          ['Content-Length', String(body.length)],
          ['Connection', 'keep-alive'],
        ],
        body: sent,
      }),
    );
    expect([res.status, JSON.parse(res.body).code, res.headers.connection]).toEqual([
      400,
      'UNKNOWN_RESOLUTION',
      'close',
    ]);
  });

  it('answers 401 MISSING_API_KEY and INVALID_API_KEY, storing nothing', async () => {
    const missing = await expectNothingStored(() => upload(gateway.url, null, [video(50_000)]));
    expect(missing.status).toBe(401);
    expect(missing.json().code).toBe('MISSING_API_KEY');
    const wrong = await expectNothingStored(() => upload(gateway.url, `${apiKey.slice(0, -2)}xx`, [video(50_000)]));
    expect(wrong.status).toBe(401);
    expect(wrong.json().code).toBe('INVALID_API_KEY');
    expect((await send(`${gateway.url}/api/v1/jobs/00000000-0000-0000-0000-000000000000`)).json().code).toBe(
      'MISSING_API_KEY',
    );
  });

  it('keeps tenants apart and enforces scopes, with keys made by the tflow CLI', async () => {
    const res = await upload(gateway.url, apiKey, [video(20_000)]);
    const { job_id } = res.json<{ job_id: string }>();
    expect((await getJob(gateway.url, apiKey, job_id)).status).toBe(200);

    const otherTenant = cliCreateKey(`itest-other-${randomBytes(3).toString('hex')}`, 'jobs:read,jobs:write');
    expect(otherTenant).toMatch(/^tfk_[A-Za-z0-9_-]{43}$/);
    const { rows } = await db.query(`SELECT key_hash, tenant_id, scopes FROM gateway.api_keys WHERE prefix = $1`, [
      otherTenant.slice(0, 12),
    ]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(otherTenant.slice(12));
    const hidden = await getJob(gateway.url, otherTenant, job_id);
    expect(hidden.status).toBe(404);
    expect(hidden.json().code).toBe('JOB_NOT_FOUND');

    const readOnly = cliCreateKey('default', 'jobs:read');
    expect((await getJob(gateway.url, readOnly, job_id)).status).toBe(200);
    const denied = await expectNothingStored(() => upload(gateway.url, readOnly, [video(20_000)]));
    expect(denied.status).toBe(403);
    expect(denied.json().code).toBe('INSUFFICIENT_SCOPE');
  });

  it('answers 404 JOB_NOT_FOUND for unknown ids and non-uuids', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-a-uuid']) {
      const res = await getJob(gateway.url, apiKey, id);
      expect(res.status).toBe(404);
      expect(res.json().code).toBe('JOB_NOT_FOUND');
    }
  });

  it('serves /health (DB) and /metrics (with HTTP request metrics) without a key', async () => {
    const health = await send(`${gateway.url}/health`);
    expect(health.status).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', database: 'ok' });
    const metrics = await send(`${gateway.url}/metrics`);
    expect(metrics.body).toContain('tf_http_requests_total{method="POST",route="/api/v1/jobs/upload",status="202"');
  });

  it("answers X-Request-Id (the client's when valid, else generated) in the header and every error body", async () => {
    const missing = `/api/v1/jobs/${randomUUID()}`;
    const given = await send(`${gateway.url}${missing}`, {
      headers: { 'X-API-Key': apiKey, 'X-Request-Id': 'itest-req-1' },
    });
    expect(given.status).toBe(404);
    expect(given.headers['x-request-id']).toBe('itest-req-1');
    expect(given.json()).toEqual({ code: 'JOB_NOT_FOUND', message: expect.any(String), request_id: 'itest-req-1' });
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const unusable: Array<Record<string, string>> = [
      {},
      { 'X-Request-Id': 'no spaces allowed' },
      { 'X-Request-Id': 'x'.repeat(129) },
    ];
    for (const headers of unusable) {
      const answer = await send(`${gateway.url}${missing}`, { headers });
      expect(answer.status).toBe(401);
      expect(answer.headers['x-request-id']).toMatch(UUID);
      expect(answer.json()).toMatchObject({ code: 'MISSING_API_KEY', request_id: answer.headers['x-request-id'] });
    }
    // Success answers carry it too.
    expect(
      (await send(`${gateway.url}/health`, { headers: { 'X-Request-Id': 'itest-health' } })).headers['x-request-id'],
    ).toBe('itest-health');
  });

  it("writes the request's request_id, with the job_id and trace_id, on the gateway's log lines of the request", async () => {
    const accepted = await upload(gateway.url, apiKey, [video(2_000)]);
    expect(accepted.status).toBe(202);
    const jobId = accepted.json<{ job_id: string }>().job_id;
    const requestId = `itest-cancel-${randomBytes(6).toString('hex')}`;
    const cancelled = await send(`${gateway.url}/api/v1/jobs/${jobId}/cancel`, {
      method: 'POST',
      headers: { 'X-API-Key': apiKey, 'X-Request-Id': requestId },
    });
    expect(cancelled.status).toBe(200);
    const lines = await waitFor(
      'the cancel line of the request',
      async () => {
        const mine = gateway.process
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{') && l.includes(requestId))
          .map((l) => JSON.parse(l) as { msg: string; request_id?: string; job_id?: string; trace_id?: string });
        return mine.some((l) => l.msg.includes(`job ${jobId} cancelled`)) ? mine : undefined;
      },
      20_000,
    );
    expect(lines.find((l) => l.msg.includes('cancelled'))).toMatchObject({
      request_id: requestId,
      job_id: jobId,
      trace_id: cancelled.headers['x-trace-id'],
    });
  });

  it('counts usage per tenant (tf_tenant_*): authenticated requests, jobs created and their source bytes', async () => {
    const tenant = `usage-${randomBytes(4).toString('hex')}`;
    const key = cliCreateKey(tenant, 'jobs:read,jobs:write');
    const usage = async () => {
      const text = (await send(`${gateway.url}/metrics`)).body;
      const read = (name: string) =>
        Number(
          text
            .split('\n')
            .find((l) => l.startsWith(`${name}{`) && l.includes(`tenant="${tenant}"`))
            ?.split(' ')
            .at(-1) ?? 0,
        );
      return {
        requests: read('tf_tenant_requests_total'),
        jobs: read('tf_tenant_jobs_created_total'),
        bytes: read('tf_tenant_uploaded_bytes_total'),
      };
    };
    expect(await usage()).toEqual({ requests: 0, jobs: 0, bytes: 0 });
    const accepted = await upload(gateway.url, key, [video(123_456)]);
    expect(accepted.status).toBe(202);
    expect((await getJob(gateway.url, key, accepted.json<{ job_id: string }>().job_id)).status).toBe(200);
    // Refused before any job: a request of the tenant, no job, no bytes.
    expect((await upload(gateway.url, key, [{ name: 'target_resolutions', value: '999p' }, video(10)])).status).toBe(
      400,
    );
    // Not the tenant's: an unknown key.
    expect((await getJob(gateway.url, `${key.slice(0, -4)}AAAA`, 'x')).status).toBe(401);
    expect(await usage()).toEqual({ requests: 3, jobs: 1, bytes: 123_456 });
  });
});
