import { randomBytes } from 'node:crypto';
import { ClientRequest, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Client } from 'pg';
import { Buckets, ObjectStorage } from '@tf/storage';
import { waitFor } from '../support/wait';
import { FormPart, GatewayProcess, multipart, newBootstrapKey, startGateway } from './gateway-harness';

export const rand = (): string => randomBytes(4).toString('hex');

/** A well-formed key no gateway knows. */
export const unknownKey = (): string => `tfk_${randomBytes(32).toString('base64url')}`;

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json: <T = Record<string, unknown>>() => T;
}

export interface ProbeOptions {
  method?: string;
  key?: string | null;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Source address (any of 127.0.0.0/8): requests without a valid key are limited per address. */
  localAddress?: string;
}

/**
 * One HTTP request. An event stream is not read to its end (it would not end): its answer is the
 * status and headers, and the request is closed. Write errors of a refused body are ignored.
 */
export function probe(url: string, options: ProbeOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      ...(options.key ? { 'X-API-Key': options.key } : {}),
      ...options.headers,
    };
    const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
    if (body) headers['Content-Length'] = String(body.length);
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers, localAddress: options.localAddress, agent: false },
      (res) => {
        const done = (text: string) =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) });
        if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          done('');
          req.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ECONNRESET') reject(e);
    });
    req.end(body);
  });
}

export const jsonBody = (value: unknown) => ({
  body: JSON.stringify(value),
  headers: { 'Content-Type': 'application/json' },
});

/** The admin API, as a client would use it. */
export class AdminClient {
  constructor(
    readonly url: string,
    readonly key: string,
  ) {}

  async createKey(
    body: Record<string, unknown>,
  ): Promise<{ id: string; key: string; prefix: string; tenant_id: string; [k: string]: unknown }> {
    const res = await probe(`${this.url}/api/v1/admin/keys`, { method: 'POST', key: this.key, ...jsonBody(body) });
    if (res.status !== 201) throw new Error(`create key: ${res.status} ${res.body}`);
    return res.json();
  }

  revoke(id: string): Promise<Answer> {
    return probe(`${this.url}/api/v1/admin/keys/${id}/revoke`, { method: 'POST', key: this.key });
  }
}

/** Starts `n` gateway replicas with the same bootstrap (platform admin) key. */
export async function startReplicas(
  n: number,
  env: Record<string, string> = {},
): Promise<{ bootstrapKey: string; replicas: GatewayProcess[] }> {
  const bootstrapKey = newBootstrapKey();
  const replicas: GatewayProcess[] = [];
  // One after the other: the first runs the migrations, the next ones find them done.
  for (let i = 0; i < n; i++) replicas.push(await startGateway({ TF_BOOTSTRAP_API_KEY: bootstrapKey, ...env }));
  return { bootstrapKey, replicas };
}

export const RATE_LIMIT_HEADERS = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy'];

export function expectRateLimitHeaders(res: Answer): void {
  for (const h of RATE_LIMIT_HEADERS) {
    if (res.headers[h] === undefined)
      throw new Error(`no ${h} header on a ${res.status} answer: ${JSON.stringify(res.headers)}`);
  }
}

export const video = (bytes: number, filename = 'clip.mp4'): FormPart => ({
  name: 'video_file',
  filename,
  content: randomBytes(bytes),
});

/**
 * A raw POST /api/v1/jobs/upload with `headers`: the request, for the caller to write the body into, and the
 * gateway's answer. Write errors of a body the gateway refused are ignored.
 */
function uploadRequest(
  url: string,
  headers: Record<string, string>,
): { req: ClientRequest; response: Promise<Answer> } {
  let req!: ClientRequest;
  const response = new Promise<Answer>((resolve, reject) => {
    req = httpRequest(`${url}/api/v1/jobs/upload`, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ECONNRESET') reject(e);
    });
  });
  return { req, response };
}

/** A multipart upload sent chunked: no Content-Length, so only the stream can tell its size. */
export function chunkedUpload(url: string, key: string, parts: FormPart[]): Promise<Answer> {
  const { body, contentType } = multipart(parts);
  const { req, response } = uploadRequest(url, {
    'Content-Type': contentType,
    'Transfer-Encoding': 'chunked',
    'X-API-Key': key,
  });
  for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.subarray(i, i + 16 * 1024));
  req.end();
  return response;
}

/**
 * An upload whose body is held back: headers (with the full Content-Length) and the first bytes go
 * out, the rest only on `finish()`. `response` settles whenever the gateway answers: before the body
 * was sent means it decided on the headers alone.
 */
export function heldUpload(
  url: string,
  key: string,
  parts: FormPart[],
): { response: Promise<Answer>; finish: () => void; abort: () => void } {
  const { body, contentType } = multipart(parts);
  const { req, response } = uploadRequest(url, {
    'Content-Type': contentType,
    'Content-Length': String(body.length),
    'X-API-Key': key,
  });
  const head = Math.min(1024, body.length - 1);
  req.write(body.subarray(0, head));
  return { response, finish: () => req.end(body.subarray(head)), abort: () => req.destroy() };
}

const SOURCE_KEY = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/source/;

/**
 * Runs `act` and checks that it left nothing of `tenant` behind: no new job row, and no new source
 * object in raw-videos that is the tenant's or nobody's. Objects of other uploads running at the same
 * time (other tests on this stack) are told apart by their job rows; an object still without one
 * once those uploads had their chance to finish is an orphan.
 */
export async function expectNothingStored<T>(
  db: Client,
  storage: ObjectStorage,
  tenant: string,
  act: () => Promise<T>,
): Promise<T> {
  const sources = async () => new Set((await storage.listKeys(Buckets.raw, '')).filter((k) => SOURCE_KEY.test(k)));
  const jobsOf = async () =>
    (await db.query('SELECT count(*)::int AS n FROM gateway.jobs WHERE tenant_id = $1', [tenant])).rows[0].n as number;
  const before = await sources();
  const jobsBefore = await jobsOf();
  const result = await act();
  expect(await jobsOf()).toBe(jobsBefore);
  const added = [...(await sources())].filter((k) => !before.has(k));
  if (added.length) {
    // Each new object must belong to another tenant's job (someone else's upload), or go away.
    await waitFor(
      `new raw-videos objects to be other tenants' (${added.join(', ')})`,
      async () => {
        const still = new Set(await storage.listKeys(Buckets.raw, ''));
        for (const k of added.filter((x) => still.has(x))) {
          const { rows } = await db.query('SELECT tenant_id FROM gateway.jobs WHERE id = $1', [SOURCE_KEY.exec(k)![1]]);
          if (rows.length === 0 || rows[0].tenant_id === tenant) return false;
        }
        return true;
      },
      30_000,
    );
  }
  return result;
}
