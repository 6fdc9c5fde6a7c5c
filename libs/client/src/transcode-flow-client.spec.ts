import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from './api-types';
import { TranscodeFlowClient } from './transcode-flow-client';

interface Seen {
  method: string;
  url: string;
  key: string | undefined;
  bytes: number;
  body: string;
}

/** The gateway faked at its HTTP boundary: it records each request and answers `answer(request)`. */
async function fakeGateway(answer: (seen: Seen) => unknown): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        key: req.headers['x-api-key'] as string | undefined,
        bytes: body.length,
        body: body.length < 10_000 ? body.toString() : '',
      };
      seen.push(request);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer(request)));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

/** A gateway answering with `handler`, for the length of `use(client)`. */
async function withGateway(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  use: (client: TranscodeFlowClient) => Promise<void>,
): Promise<void> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    await use(
      new TranscodeFlowClient({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        apiKey: 'tfk_test',
      }),
    );
  } finally {
    server.close();
  }
}

describe('TranscodeFlowClient', () => {
  let dir: string;
  let gateway: Awaited<ReturnType<typeof fakeGateway>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tf-client-'));
    gateway = await fakeGateway((r) =>
      r.url === '/api/v1/jobs/upload' ? { job_id: 'j1', status: 'queued' } : { path: r.url },
    );
  });
  afterAll(() => {
    gateway.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports an upload as its bytes go out: growing, ending with the whole body (file and framing)', async () => {
    const path = join(dir, 'clip.mp4');
    const size = 3 * 1024 * 1024 + 17;
    writeFileSync(path, Buffer.alloc(size, 7));
    const reports: [number, number][] = [];
    const client = new TranscodeFlowClient({ baseUrl: gateway.url, apiKey: 'tfk_test' });
    expect(
      await client.uploadFile(path, { targetResolutions: ['360p'] }, (sent, total) => reports.push([sent, total])),
    ).toEqual({ job_id: 'j1', status: 'queued' });
    const upload = gateway.seen.find((r) => r.url === '/api/v1/jobs/upload')!;
    expect(reports.length).toBeGreaterThan(1);
    expect(reports.every(([, total]) => total === size)).toBe(true);
    const sent = reports.map(([s]) => s);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    expect(sent[sent.length - 1]).toBe(upload.bytes);
    expect(upload.bytes).toBeGreaterThan(size);
    // Without a listener, the same upload.
    await client.uploadFile(path);
    expect(gateway.seen.filter((r) => r.url === '/api/v1/jobs/upload').map((r) => r.bytes)).toEqual([
      upload.bytes,
      expect.any(Number),
    ]);
  });

  it('calls the admin API: keys and backfill, with its key', async () => {
    const client = new TranscodeFlowClient({ baseUrl: gateway.url, apiKey: 'tfk_admin' });
    gateway.seen.length = 0;
    await client.createKey({ tenant_id: 'acme', scopes: ['jobs:read'] });
    await client.listKeys({ tenantId: 'acme', state: 'active' });
    await client.listKeys();
    await client.rotateKey('k/1', 60);
    await client.revokeKey('k1');
    await client.backfillJobs({ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', dry_run: true });
    expect(gateway.seen.map((r) => [r.method, r.url, r.key, r.body])).toEqual([
      ['POST', '/api/v1/admin/keys', 'tfk_admin', '{"tenant_id":"acme","scopes":["jobs:read"]}'],
      ['GET', '/api/v1/admin/keys?tenant_id=acme&state=active', 'tfk_admin', ''],
      ['GET', '/api/v1/admin/keys', 'tfk_admin', ''],
      ['POST', '/api/v1/admin/keys/k%2F1/rotate', 'tfk_admin', '{"grace_period_s":60}'],
      ['POST', '/api/v1/admin/keys/k1/revoke', 'tfk_admin', ''],
      [
        'POST',
        '/api/v1/admin/jobs/backfill',
        'tfk_admin',
        '{"from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z","dry_run":true}',
      ],
    ]);
  });

  it("keeps an error answer's code and request id (X-Request-Id) for the user to quote", async () => {
    await withGateway(
      (_req, res) => {
        res.statusCode = 404;
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-request-id', 'req-9');
        res.end(JSON.stringify({ code: 'JOB_NOT_FOUND', message: 'No job j9', request_id: 'req-9' }));
      },
      async (client) => {
        const error = await client.getJob('j9').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({ status: 404, code: 'JOB_NOT_FOUND', requestId: 'req-9' });
      },
    );
  });

  it('waits as a 429 Retry-After tells it while following a job, and ends on a 429 without one', async () => {
    const answers = [
      { status: 429, retryAfter: '1', body: { code: 'RATE_LIMITED', message: 'Rate limit exceeded: retry in 1 s' } },
      { status: 200, body: { job_id: 'j1', status: 'completed' } },
      { status: 429, body: { code: 'RATE_LIMITED', message: 'no hint' } },
    ];
    const urls: string[] = [];
    await withGateway(
      (req, res) => {
        urls.push(req.url ?? '');
        const answer = answers.shift()!;
        res.statusCode = answer.status;
        res.setHeader('content-type', 'application/json');
        if (answer.retryAfter) res.setHeader('retry-after', answer.retryAfter);
        res.end(JSON.stringify(answer.body));
      },
      async (client) => {
        await expect(client.waitForJob('j1')).resolves.toMatchObject({ status: 'completed' });
        expect(urls).toEqual(['/api/v1/jobs/j1', '/api/v1/jobs/j1']);
        const error = await client.waitForJob('j1').catch((e: unknown) => e);
        expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: undefined });
      },
    );
  });
  it.each([
    ['a quota refusal', 'QUOTA_EXCEEDED', '3600'],
    ['a rate limit that asks for more than a minute', 'RATE_LIMITED', '61'],
  ])('ends a wait on %s, even with Retry-After', async (_what, code, retryAfter) => {
    await withGateway(
      (_req, res) => {
        res.statusCode = 429;
        res.setHeader('content-type', 'application/json');
        res.setHeader('retry-after', retryAfter);
        res.end(JSON.stringify({ code, message: 'refused' }));
      },
      async (client) => {
        const error = await client.waitForJob('j1').catch((e: unknown) => e);
        expect(error).toMatchObject({ status: 429, code, retryAfterSeconds: Number(retryAfter) });
      },
    );
  });

  it('ends a wait when the API cannot be reached (no endless retries on a wrong URL)', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    server.close();
    const client = new TranscodeFlowClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'tfk_test' });
    await expect(client.waitForJob('j1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
