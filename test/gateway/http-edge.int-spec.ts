import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { FuzzCase, KnownIds, Operation, fuzzCase, operationsOf } from './http-fuzz-cases';
import { GatewayProcess, newBootstrapKey, send, startGateway, upload } from './gateway-harness';
import { RawAnswer, describeRaw, rawRequest } from './raw-http';

/** TF_FUZZ_SEED=<seed> (printed by every run) replays the same cases; TF_FUZZ_CASES changes how many. */
const SEED = Number(process.env.TF_FUZZ_SEED ?? randomBytes(4).readUInt32BE(0) % 2 ** 31);
const CASES = Number(process.env.TF_FUZZ_CASES ?? 2000);
const CONCURRENCY = 8;
const UPPER_SNAKE = /^[A-Z][A-Z0-9_]+$/;

interface Outcome {
  index: number;
  fuzz: FuzzCase;
  answer: RawAnswer;
}

/** Why an answer breaks the rule (a client's mistake is a 4xx `{code, message}`, never a 5xx); null when it keeps it. */
function violation({ fuzz, answer }: Outcome): string | null {
  // No answer is fine when the framing lied, or when the server refused early and reset the connection
  // while the body was still being written (a crash would show in the logged 5xx and /health below).
  if (answer.status === null)
    return fuzz.brokenFraming || fuzz.request.method === 'HEAD' || answer.writeFailed
      ? null
      : 'no answer to a well-framed request';
  if (answer.status >= 500) return `answered ${answer.status}`;
  if (answer.status >= 400 && answer.headers['content-type'] && fuzz.request.method !== 'HEAD') {
    // Node's own parser errors (400, 431) carry no body; everything the app answers is {code, message}.
    try {
      const body = JSON.parse(answer.body) as { code?: unknown; message?: unknown };
      if (typeof body.code !== 'string' || !UPPER_SNAKE.test(body.code) || typeof body.message !== 'string')
        return `error body is not {code, message}: ${answer.body.slice(0, 200)}`;
    } catch {
      return `error body is not JSON (${answer.headers['content-type']}): ${answer.body.slice(0, 200)}`;
    }
  }
  return null;
}

// The gateway's HTTP edge on the real parsers: a client's mistake is a 4xx {code, message}, never a 500.
// Then the fuzz: every route of the OpenAPI document, with valid and invalid keys, gets malformed
// bodies, headers, framing, cursors, path and query parameters; no answer may be a 5xx.
describe('gateway HTTP edge: no 500 for a client mistake', () => {
  const bootstrapKey = newBootstrapKey();
  const tenant = `fuzz-${randomBytes(4).toString('hex')}`;
  let gateway: GatewayProcess;
  let port: number;

  const api = async (method: string, path: string, key: string, body?: unknown) => {
    const res = await send(`${gateway.url}${path}`, {
      method,
      headers: { 'X-API-Key': key, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.body}`);
    return res.json<Record<string, unknown>>();
  };

  beforeAll(async () => {
    gateway = await startGateway({
      TF_BOOTSTRAP_API_KEY: bootstrapKey,
      TF_RATE_LIMIT_CAPACITY: '100000',
      TF_RATE_LIMIT_REFILL_PER_S: '10000',
      // Uploads stay tiny: a case can only store a few KiB.
      TF_MAX_UPLOAD_BYTES: String(64 * 1024),
    });
    port = Number(new URL(gateway.url).port);
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  const expectError = (answer: RawAnswer, status: number, code: string) =>
    expect([answer.status, JSON.parse(answer.body || '{}').code]).toEqual([status, code]);
  const postJson = (path: string, body: Buffer, headers: [string, string][] = [['Content-Type', 'application/json']]) =>
    rawRequest(port, {
      method: 'POST',
      target: path,
      headers: [['X-API-Key', bootstrapKey], ...headers, ['Content-Length', String(body.length)]],
      body,
    });

  it('answers body size, encoding, charset, syntax and depth errors with 413/415/400 and a code', async () => {
    expectError(
      await postJson(
        '/api/v1/uploads',
        Buffer.from(JSON.stringify({ filename: 'a.mp4', bytes: 1, pad: 'x'.repeat(150_000) })),
      ),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expectError(
      await postJson('/api/v1/uploads', Buffer.from('not gzip'), [
        ['Content-Type', 'application/json'],
        ['Content-Encoding', 'gzip'],
      ]),
      400,
      'INVALID_CONTENT_ENCODING',
    );
    expectError(
      await postJson('/api/v1/uploads', Buffer.from('{}'), [
        ['Content-Type', 'application/json'],
        ['Content-Encoding', 'zstd'],
      ]),
      415,
      'UNSUPPORTED_CONTENT_ENCODING',
    );
    expectError(
      await postJson('/api/v1/uploads', Buffer.from('{}', 'utf16le'), [
        ['Content-Type', 'application/json; charset=utf-16'],
      ]),
      415,
      'UNSUPPORTED_CHARSET',
    );
    expectError(await postJson('/api/v1/uploads', Buffer.from('{"filename": "a.mp4",')), 400, 'INVALID_JSON');
    expectError(
      await postJson('/api/v1/uploads', Buffer.from(`${'['.repeat(5000)}${']'.repeat(5000)}`)),
      400,
      'JSON_TOO_DEEP',
    );
    expectError(
      await postJson('/api/v1/uploads', Buffer.from(`{"filename":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`)),
      400,
      'JSON_TOO_DEEP',
    );
    const manyParams = Buffer.from(Array.from({ length: 1500 }, (_, i) => `p${i}=1`).join('&'));
    expectError(
      await postJson('/api/v1/uploads', manyParams, [['Content-Type', 'application/x-www-form-urlencoded']]),
      413,
      'TOO_MANY_PARAMETERS',
    );
    // A gzip body that is valid is read: the route's own validation answers (here: the typo'd field).
    expectError(
      await postJson(
        '/api/v1/uploads',
        gzipSync(JSON.stringify({ filename: 'a.mp4', bytes: 10, target_resolution: '1080p' })),
        [
          ['Content-Type', 'application/json'],
          ['Content-Encoding', 'gzip'],
        ],
      ),
      400,
      'UNKNOWN_FIELD',
    );
    // Counted by code on /metrics.
    expect((await send(`${gateway.url}/metrics`)).body).toMatch(
      /tf_http_errors_total\{status="400",code="JSON_TOO_DEEP"[^}]*\} 2\n/,
    );
  });

  it('answers 400 INVALID_CURSOR / INVALID_TIMESTAMP for cursors and dates that are well-formed but impossible', async () => {
    const get = (target: string) => rawRequest(port, { method: 'GET', target, headers: [['X-API-Key', bootstrapKey]] });
    const id = '6f1c2c8e-8d0b-4b7e-9a57-3f2d5a1c9e10';
    expectError(
      await get(`/api/v1/jobs?cursor=${b64(JSON.stringify(['2025-13-01T00:00:00.000000Z', id]))}`),
      400,
      'INVALID_CURSOR',
    );
    expectError(
      await get(`/api/v1/jobs?cursor=${b64(JSON.stringify(['2025-02-30T00:00:00.000000Z', id]))}`),
      400,
      'INVALID_CURSOR',
    );
    expectError(await get('/api/v1/jobs?created_after=2025-02-30'), 400, 'INVALID_TIMESTAMP');
    expectError(
      await get(`/api/v1/webhooks/deliveries?cursor=${b64(`-271821-04-20T00:00:00.000Z|${id}`)}`),
      400,
      'INVALID_CURSOR',
    );
    // The cursor the API itself returns still pages.
    expect((await get(`/api/v1/jobs?cursor=${b64(JSON.stringify(['2025-01-31T10:00:00.123456Z', id]))}`)).status).toBe(
      200,
    );
  });

  it(`answers no 5xx to ${CASES} hostile requests`, async () => {
    process.stdout.write(`http fuzz: seed ${SEED} (TF_FUZZ_SEED=${SEED} replays it), ${CASES} cases\n`);
    const doc = (await send(`${gateway.url}/docs-json`)).json<Parameters<typeof operationsOf>[0]>();
    const ops: Operation[] = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(20);

    // A tenant of its own (an admin key that is no platform admin: a backfill or key change stays inside it).
    const admin = String(
      (await api('POST', '/api/v1/admin/keys', bootstrapKey, { tenant_id: tenant, scopes: ['admin'] })).key,
    );
    const reader = String((await api('POST', '/api/v1/admin/keys', admin, { scopes: ['jobs:read'] })).key);
    const victim = await api('POST', '/api/v1/admin/keys', admin, { scopes: ['jobs:read'] });
    const job = await upload(gateway.url, admin, [
      { name: 'video_file', filename: 'seed.mp4', content: randomBytes(512) },
    ]);
    expect(job.status).toBe(202);
    const ids: KnownIds = {
      job: String(job.json().job_id),
      upload: String((await api('POST', '/api/v1/uploads', admin, { filename: 'seed.mp4', bytes: 1000 })).upload_id),
      endpoint: String(
        (await api('POST', '/api/v1/webhooks/endpoints', admin, { url: 'https://hooks.example.com/fuzz' })).id,
      ),
      key: String(victim.id),
    };

    const cases = fc.sample(fuzzCase(ops, { admin, reader }, ids), { seed: SEED, numRuns: CASES });
    const outcomes: Outcome[] = [];
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < cases.length) {
          const index = next++;
          outcomes.push({ index, fuzz: cases[index], answer: await rawRequest(port, cases[index].request) });
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;

    const byStatus: Record<string, number> = {};
    for (const o of outcomes) byStatus[String(o.answer.status)] = (byStatus[String(o.answer.status)] ?? 0) + 1;
    const routes = new Set(outcomes.map((o) => `${o.fuzz.request.method} ${o.fuzz.request.target.split('?')[0]}`)).size;
    process.stdout.write(
      `http fuzz: ${outcomes.length} cases in ${seconds.toFixed(1)} s over ${ops.length} documented operations (${routes} distinct request lines); answers by status ${JSON.stringify(byStatus)}\n`,
    );

    const failures = outcomes
      .map((o) => ({ o, why: violation(o) }))
      .filter((f) => f.why !== null)
      .sort((a, b) => a.o.index - b.o.index);
    const report = failures
      .slice(0, 10)
      .map(
        ({ o, why }) =>
          `case #${o.index} (seed ${SEED}): ${why}\n${describeRaw(o.fuzz.request)}\n→ ${o.answer.status} ${o.answer.body.slice(0, 300)}`,
      )
      .join('\n\n');
    expect([failures.length, report]).toEqual([0, '']);

    // A 5xx that could not be sent (the client was gone) is still logged by the exception filter.
    const logged5xx = gateway.process
      .output()
      .split('\n')
      .filter((l) => l.includes('HttpErrors'));
    expect(logged5xx.slice(0, 5)).toEqual([]);
    expect((await send(`${gateway.url}/health`)).status).toBe(200);

    // Leave no work behind: the tenant's jobs still queued are cancelled.
    const jobs = await api('GET', '/api/v1/jobs?status=queued&limit=100', admin);
    for (const j of jobs.jobs as { job_id: string }[]) await api('POST', `/api/v1/jobs/${j.job_id}/cancel`, admin, {});
  });
});
