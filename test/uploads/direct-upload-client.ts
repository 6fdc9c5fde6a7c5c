import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { request } from 'undici';

/** What the gateway answers for an upload (the fields these tests read). */
export interface UploadView {
  upload_id: string;
  status: string;
  mode: 'single' | 'multipart';
  bytes: number;
  content_type: string;
  part_size: number | null;
  part_count: number | null;
  parts_received: Array<{ part_number: number; bytes: number; etag: string }>;
  bytes_received: number;
  missing_parts: number[];
  upload: null | {
    method: 'PUT';
    expires_at: string;
    url?: string;
    headers: Record<string, string>;
    parts?: Array<{ part_number: number; offset: number; bytes: number; url: string }>;
  };
  job_id: string | null;
  error: { code: string; message: string } | null;
  created_at: string;
  expires_at: string;
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

/** JSON over undici's request() (the gateway's default port, 10080, is a Fetch "bad port"). */
export async function api<T = Record<string, unknown>>(
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  apiKey: string | null,
  body?: unknown,
): Promise<Answer<T>> {
  const res = await request(url, {
    method,
    // One connection per call: a test that blocks its event loop (execFileSync) would otherwise
    // reuse a keep-alive socket the server already closed ("other side closed").
    reset: true,
    headers: {
      ...(apiKey ? { 'x-api-key': apiKey } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: (text ? JSON.parse(text) : {}) as T };
}

/** PUTs bytes start..start+bytes-1 of a file to a presigned URL, streamed (never the whole file in memory). */
export async function putRange(
  url: string,
  path: string,
  start: number,
  bytes: number,
  headers: Record<string, string> = {},
): Promise<{ status: number; etag: string | null; body: string }> {
  const res = await request(url, {
    method: 'PUT',
    headers: { 'content-length': String(bytes), ...headers },
    body: createReadStream(path, { start, end: start + bytes - 1 }),
  });
  const body = await res.body.text();
  const etag = res.headers.etag;
  return { status: res.statusCode, etag: typeof etag === 'string' ? etag : null, body };
}

/** Writes `bytes` random bytes to `path` in 1 MiB chunks; answers their sha256. */
export async function writeRandomFile(path: string, bytes: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  for (let left = bytes; left > 0;) {
    const chunk = randomBytes(Math.min(left, 1024 * 1024));
    hash.update(chunk);
    left -= chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return hash.digest('hex');
}

export async function sha256OfStream(stream: AsyncIterable<Buffer>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk);
  return hash.digest('hex');
}
