import { ResumeStore, type FileFingerprint } from './resume-store';
import { runPool, withRetry, type RetryPolicy } from './run-pool';
import type { CompletedPart, CreateUploadBody, DirectUpload, UploadCompleted } from './upload-types';

/** The gateway's direct-upload routes, as the page's API client calls them (errors carry the HTTP status). */
export interface UploadApi {
  create(body: CreateUploadBody): Promise<DirectUpload>;
  /** GET /api/v1/uploads/{id}: what storage holds and fresh URLs for what is missing. */
  get(uploadId: string): Promise<DirectUpload>;
  complete(uploadId: string, parts: CompletedPart[] | undefined): Promise<UploadCompleted>;
}

/** A picked file (a browser File is one): its fingerprint, type and byte ranges. */
export interface UploadSource extends FileFingerprint {
  type: string;
  slice(start: number, end: number): unknown;
}

export interface PutRequest {
  url: string;
  body: unknown;
  bytes: number;
  headers: Record<string, string>;
  signal: AbortSignal;
  /** Bytes of this PUT sent so far. */
  onProgress: (loaded: number) => void;
}

/** One PUT to storage; resolves with the ETag header storage answered, throws PutFailed otherwise. */
export type SendPut = (request: PutRequest) => Promise<{ etag: string | null }>;

/** A PUT storage refused (status) or that never got an answer (status 0: network, reset). */
export class PutFailed extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'PutFailed';
  }
}

type TransferPhase = 'preparing' | 'sending' | 'completing' | 'done';

export interface TransferProgress {
  phase: TransferPhase;
  upload_id: string | null;
  /** Bytes storage holds (resumed ones included) plus the in-flight parts' bytes sent so far. */
  sent: number;
  total: number;
  parts_done: number;
  parts_total: number;
  /** Bytes storage already held when this run started (a resumed upload). */
  resumed_bytes: number;
}

export interface TransferResult {
  job_id: string;
  upload_id: string;
  /** Whether the upload was one this browser had started before (found in the resume store). */
  resumed: boolean;
  /** Part numbers this run sent (single mode: [1] or [] when storage already had the file). */
  parts_sent: number[];
}

/** The job fields of an upload (the file's own facts come from the file). */
export type UploadFields = Omit<CreateUploadBody, 'filename' | 'bytes' | 'content_type'>;

export interface TransferOptions {
  api: UploadApi;
  send: SendPut;
  store: ResumeStore;
  /** Parts in flight at once. */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
}

const statusOf = (e: unknown): number | undefined => (e as { status?: unknown })?.status as number | undefined;
/** Worth another try: no answer, storage busy or failing, or a URL that expired meanwhile (403: refreshed first). */
const retryablePut = (e: unknown) => e instanceof PutFailed && (e.status === 0 || e.status === 403 || e.status >= 500);

const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  delayMs: (attempt) => Math.min(8000, 500 * 2 ** (attempt - 1)),
  retryable: retryablePut,
};

/**
 * Sends a file through the gateway's direct upload and completes it into a job. A file this browser
 * started uploading before (the resume store knows it by name, size and mtime) is resumed: the gateway
 * says which parts storage holds, and only the missing ones are sent. Each part is retried on its own.
 */
export async function transferFile(
  file: UploadSource,
  fields: UploadFields,
  options: TransferOptions,
): Promise<TransferResult> {
  const { api, store } = options;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const report = (p: Omit<TransferProgress, 'total'>) => options.onProgress?.({ ...p, total: file.size });
  report({ phase: 'preparing', upload_id: null, sent: 0, parts_done: 0, parts_total: 0, resumed_bytes: 0 });

  const { view, resumed } = await resumeOrCreate(file, fields, api, store);
  const uploadId = view.upload_id;
  if (view.status === 'completed' && view.job_id) {
    store.forget(uploadId);
    return { job_id: view.job_id, upload_id: uploadId, resumed, parts_sent: [] };
  }

  const etags = new Map(view.parts_received.map((p) => [p.part_number, p.etag]));
  const partsTotal = view.part_count ?? 1;
  const resumedBytes = view.bytes_received;
  let doneBytes = resumedBytes;
  const inFlight = new Map<number, number>();
  const progress = (phase: TransferPhase) =>
    report({
      phase,
      upload_id: uploadId,
      sent: doneBytes + [...inFlight.values()].reduce((a, b) => a + b, 0),
      parts_done: etags.size,
      parts_total: partsTotal,
      resumed_bytes: resumedBytes,
    });
  progress('sending');

  // Fresh URLs when a PUT finds its URL expired: one GET of the upload serves every part waiting on it.
  let urls = new Map((view.upload?.parts ?? []).map((p) => [p.part_number, p.url]));
  let singleUrl = view.upload?.url ?? null;
  let refreshing: Promise<void> | null = null;
  const refreshUrls = () =>
    (refreshing ??= api.get(uploadId).then((fresh) => {
      urls = new Map((fresh.upload?.parts ?? []).map((p) => [p.part_number, p.url]));
      singleUrl = fresh.upload?.url ?? null;
      for (const p of fresh.parts_received) if (!etags.has(p.part_number)) etags.set(p.part_number, p.etag);
      refreshing = null;
    }));

  const sent: number[] = [];
  const sendOne = async (partNumber: number, start: number, bytes: number, signal: AbortSignal) => {
    const headers = view.upload?.headers ?? {};
    const etag = await withRetry(
      async (attempt) => {
        if (attempt > 1) await refreshUrls();
        if (attempt > 1 && etags.has(partNumber)) return etags.get(partNumber)!; // storage got it after all
        const url = view.mode === 'single' ? singleUrl : urls.get(partNumber);
        if (!url) throw new PutFailed(0, `no upload URL for part ${partNumber}`);
        inFlight.set(partNumber, 0);
        try {
          const answer = await options.send({
            url,
            body: file.slice(start, start + bytes),
            bytes,
            headers,
            signal,
            onProgress: (loaded) => {
              inFlight.set(partNumber, Math.min(loaded, bytes));
              progress('sending');
            },
          });
          if (!answer.etag)
            throw new PutFailed(200, 'storage did not expose the ETag header (check the bucket CORS rules)');
          return answer.etag;
        } catch (e) {
          inFlight.delete(partNumber); // its bytes go again
          throw e;
        }
      },
      retry,
      signal,
    );
    // In one step, so that the progress never dips between a part's last byte and its completion.
    inFlight.delete(partNumber);
    etags.set(partNumber, etag);
    doneBytes += bytes;
    sent.push(partNumber);
    store.recordPart(uploadId, partNumber, etag);
    progress('sending');
  };

  if (view.mode === 'single') {
    if (view.bytes_received !== file.size) {
      const signal = options.signal ?? new AbortController().signal;
      doneBytes = 0;
      etags.clear();
      await sendOne(1, 0, file.size, signal);
    }
  } else {
    const missing = (view.upload?.parts ?? []).filter((p) => !etags.has(p.part_number));
    await runPool(
      missing,
      options.concurrency ?? 4,
      (p, signal) => sendOne(p.part_number, p.offset, p.bytes, signal),
      options.signal,
    );
  }

  progress('completing');
  const parts =
    view.mode === 'multipart'
      ? [...etags.entries()].sort(([a], [b]) => a - b).map(([part_number, etag]) => ({ part_number, etag }))
      : undefined;
  const done = await api.complete(uploadId, parts);
  store.forget(uploadId);
  progress('done');
  return { job_id: done.job_id, upload_id: uploadId, resumed, parts_sent: sent.sort((a, b) => a - b) };
}

/** The remembered upload of this file if the gateway still has it pending (or done), else a new one. */
async function resumeOrCreate(
  file: UploadSource,
  fields: UploadFields,
  api: UploadApi,
  store: ResumeStore,
): Promise<{ view: DirectUpload; resumed: boolean }> {
  const remembered = store.findFor(file);
  if (remembered) {
    try {
      const view = await api.get(remembered.upload_id);
      if (view.status === 'pending' || view.status === 'completed') return { view, resumed: true };
    } catch (e) {
      // Another tenant's key, or a row gone: start afresh. Anything else (offline, 5xx) is the caller's to see.
      if (statusOf(e) !== 404) throw e;
    }
    store.forget(remembered.upload_id);
  }
  const view = await api.create({
    ...fields,
    filename: file.name,
    bytes: file.size,
    ...(file.type ? { content_type: file.type } : {}),
  });
  store.remember({
    upload_id: view.upload_id,
    file: { name: file.name, size: file.size, lastModified: file.lastModified },
    expires_at: view.expires_at,
    part_count: view.part_count,
    parts: {},
  });
  return { view, resumed: false };
}
