import {
  PutFailed,
  PutRequest,
  TransferProgress,
  UploadApi,
  UploadFields,
  UploadSource,
  transferFile,
} from './direct-upload-transfer';
import { KeyValueStorage, ResumeStore } from './resume-store';
import type { CompletedPart, CreateUploadBody, DirectUpload } from './upload-types';

// The gateway and storage faked at their boundary: the gateway plans parts of PART bytes and answers
// the parts storage holds (as GET /api/v1/uploads/{id} does); storage records every PUT it gets.

const PART = 10;

class MemoryStorage implements KeyValueStorage {
  readonly items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

interface FakeUpload {
  body: CreateUploadBody;
  status: DirectUpload['status'];
  held: Map<number, { etag: string; bytes: number }>;
  urlGeneration: number;
  jobId: string;
}

class FakeGateway implements UploadApi {
  readonly uploads = new Map<string, FakeUpload>();
  readonly puts: Array<{ part: number; bytes: number; url: string }> = [];
  completes: Array<CompletedPart[] | undefined> = [];
  /** PUT answers to script: part number → statuses, answered in turn before storage takes the part. */
  readonly failures = new Map<number, number[]>();
  /** URLs older than this generation answer 403 (expired). */
  expiredBefore = 0;

  private created = 0;

  async create(body: CreateUploadBody): Promise<DirectUpload> {
    const id = `u${++this.created}`;
    this.uploads.set(id, { body, status: 'pending', held: new Map(), urlGeneration: 0, jobId: `job-of-${id}` });
    return this.view(id);
  }

  async get(id: string): Promise<DirectUpload> {
    if (!this.uploads.has(id)) throw Object.assign(new Error('UPLOAD_NOT_FOUND'), { status: 404 });
    this.uploads.get(id)!.urlGeneration++;
    return this.view(id);
  }

  async complete(id: string, parts: CompletedPart[] | undefined) {
    const u = this.uploads.get(id)!;
    this.completes.push(parts);
    if (this.plan(u).length > 1) {
      expect(parts).toEqual(
        this.plan(u).map((p) => ({ part_number: p.part_number, etag: u.held.get(p.part_number)?.etag })),
      );
    }
    u.status = 'completed';
    return { job_id: u.jobId, upload_id: id };
  }

  send = async (r: PutRequest): Promise<{ etag: string | null }> => {
    const url = new URL(r.url);
    const [, id, part] = url.pathname.split('/');
    const n = Number(part);
    const u = this.uploads.get(id)!;
    this.puts.push({ part: n, bytes: r.bytes, url: r.url });
    expect(r.body).toEqual({ start: this.plan(u)[n - 1].offset, end: this.plan(u)[n - 1].offset + r.bytes });
    if (Number(url.searchParams.get('g')) < this.expiredBefore) throw new PutFailed(403, 'Request has expired');
    const status = this.failures.get(n)?.shift();
    if (status !== undefined) throw new PutFailed(status, `storage answered ${status}`);
    r.onProgress(r.bytes / 2);
    r.onProgress(r.bytes);
    const etag = `"etag-${n}"`;
    u.held.set(n, { etag, bytes: r.bytes });
    return { etag };
  };

  private plan(u: FakeUpload) {
    const parts = [];
    for (let offset = 0, n = 1; offset < u.body.bytes; offset += PART, n++)
      parts.push({ part_number: n, offset, bytes: Math.min(PART, u.body.bytes - offset) });
    return parts;
  }

  private view(id: string): DirectUpload {
    const u = this.uploads.get(id)!;
    const plan = this.plan(u);
    const multipart = plan.length > 1;
    const missing = plan.filter((p) => !u.held.has(p.part_number));
    const received = [...u.held.entries()].map(([part_number, p]) => ({ part_number, ...p }));
    const url = (n: number) => `https://s3.test/${id}/${n}?g=${u.urlGeneration}`;
    return {
      upload_id: id,
      status: u.status,
      mode: multipart ? 'multipart' : 'single',
      filename: u.body.filename,
      content_type: u.body.content_type ?? 'video/mp4',
      bytes: u.body.bytes,
      labels: [],
      part_size: multipart ? PART : null,
      part_count: multipart ? plan.length : null,
      parts_received: received,
      bytes_received: received.reduce((a, p) => a + p.bytes, 0),
      missing_parts: multipart ? missing.map((p) => p.part_number) : [],
      upload:
        u.status !== 'pending'
          ? null
          : multipart
            ? {
                method: 'PUT',
                expires_at: '',
                headers: {},
                parts: missing.map((p) => ({ ...p, url: url(p.part_number) })),
              }
            : { method: 'PUT', expires_at: '', headers: { 'Content-Type': 'video/mp4' }, url: url(1) },
      job_id: u.status === 'completed' ? u.jobId : null,
      error: null,
      created_at: '',
      updated_at: '',
      completed_at: null,
      expires_at: '2999-01-01T00:00:00Z',
    };
  }
}

const FIELDS: UploadFields = { enable_hls: true, enable_transcription: false, priority: 'normal' };

const fileOf = (size: number, name = 'clip.mp4'): UploadSource => ({
  name,
  size,
  lastModified: 1700000000000,
  type: 'video/mp4',
  slice: (start, end) => ({ start, end }),
});

const setup = () => {
  const gateway = new FakeGateway();
  const storage = new MemoryStorage();
  const progress: TransferProgress[] = [];
  const options = () => ({
    api: gateway,
    send: gateway.send,
    store: new ResumeStore(storage, 'key-a'),
    concurrency: 2,
    retry: { sleep: async () => undefined },
    onProgress: (p: TransferProgress) => progress.push(p),
  });
  return { gateway, storage, progress, options };
};

describe('transferFile', () => {
  it('sends every part once, completes with every ETag in order, and forgets the upload', async () => {
    const { gateway, storage, progress, options } = setup();
    const result = await transferFile(fileOf(45), { ...FIELDS, labels: ['a'] }, options());
    expect(result).toEqual({ job_id: 'job-of-u1', upload_id: 'u1', resumed: false, parts_sent: [1, 2, 3, 4, 5] });
    expect(gateway.puts.map((p) => p.part).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(gateway.puts.find((p) => p.part === 5)!.bytes).toBe(5);
    expect(gateway.uploads.get('u1')!.body).toMatchObject({
      filename: 'clip.mp4',
      bytes: 45,
      content_type: 'video/mp4',
    });
    expect(storage.items.size).toBe(0);
    const last = progress[progress.length - 1];
    expect(last).toMatchObject({ phase: 'done', sent: 45, total: 45, parts_done: 5, parts_total: 5 });
    const sent = progress.map((p) => p.sent);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
  });

  it('after a reload sends only the parts storage is missing (the gateway says which), then completes with all', async () => {
    const { gateway, storage, progress, options } = setup();
    // The first page: parts 2 and 4 never get an answer (the reload cuts them off).
    gateway.failures.set(2, [400]);
    gateway.failures.set(4, [400]);
    await expect(transferFile(fileOf(45), FIELDS, { ...options(), concurrency: 1 })).rejects.toThrow(
      'storage answered 400',
    );
    const firstRun = gateway.puts.map((p) => p.part);
    expect(firstRun).toEqual([1, 2]);
    // The reloaded page: a new store over the same localStorage, the same file picked again.
    gateway.puts.length = 0;
    gateway.failures.clear();
    progress.length = 0;
    const result = await transferFile(fileOf(45), FIELDS, options());
    expect(result).toMatchObject({ upload_id: 'u1', resumed: true, parts_sent: [2, 3, 4, 5] });
    expect(gateway.puts.map((p) => p.part).sort()).toEqual([2, 3, 4, 5]);
    expect(gateway.uploads.size).toBe(1);
    expect(progress.find((p) => p.phase === 'sending')).toMatchObject({ resumed_bytes: 10, sent: 10, parts_done: 1 });
    expect(storage.items.size).toBe(0);
  });

  it('retries a part storage failed (5xx, no answer) on its own; a 4xx is final', async () => {
    const { gateway, options } = setup();
    gateway.failures.set(3, [503, 0]);
    await transferFile(fileOf(45), FIELDS, options());
    expect(gateway.puts.map((p) => p.part).sort()).toEqual([1, 2, 3, 3, 3, 4, 5]);

    const other = setup();
    other.gateway.failures.set(1, [403 + 1]);
    await expect(transferFile(fileOf(45), FIELDS, other.options())).rejects.toThrow('storage answered 404');
    expect(other.gateway.puts.filter((p) => p.part === 1)).toHaveLength(1);
  });

  it('gets fresh URLs from the gateway when a PUT finds its URL expired (403), once for all waiting parts', async () => {
    const { gateway, options } = setup();
    gateway.expiredBefore = 1;
    const result = await transferFile(fileOf(45), FIELDS, options());
    expect(result.parts_sent).toEqual([1, 2, 3, 4, 5]);
    const retried = gateway.puts.filter((p) => p.url.endsWith('g=1'));
    expect(retried.map((p) => p.part).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('starts afresh when the remembered upload is gone (404) or no longer pending', async () => {
    const { gateway, storage, options } = setup();
    gateway.failures.set(1, [400]);
    await expect(transferFile(fileOf(45), FIELDS, options())).rejects.toThrow();
    gateway.uploads.delete('u1');
    gateway.failures.clear();
    const result = await transferFile(fileOf(45), FIELDS, options());
    expect(result).toMatchObject({ upload_id: 'u2', resumed: false });
    expect(storage.items.size).toBe(0);
  });

  it('a small file goes in one PUT; resumed after storage got it, it only completes', async () => {
    const { gateway, options } = setup();
    const result = await transferFile(fileOf(7), FIELDS, options());
    expect(result.parts_sent).toEqual([1]);
    expect(gateway.completes).toEqual([undefined]);

    const again = setup();
    // The first page's complete never gets through (the gateway is briefly away); the PUT did.
    const failingComplete: UploadApi = {
      create: (body) => again.gateway.create(body),
      get: (id) => again.gateway.get(id),
      complete: async () => {
        throw Object.assign(new Error('gateway unavailable'), { status: 503 });
      },
    };
    await expect(transferFile(fileOf(7), FIELDS, { ...again.options(), api: failingComplete })).rejects.toThrow(
      'gateway unavailable',
    );
    expect(again.gateway.puts.map((p) => p.part)).toEqual([1]);
    again.gateway.puts.length = 0;
    const resumed = await transferFile(fileOf(7), FIELDS, again.options());
    expect(resumed).toMatchObject({ resumed: true, parts_sent: [] });
    expect(again.gateway.puts).toEqual([]);
    expect(again.gateway.completes).toEqual([undefined]);
  });
});
