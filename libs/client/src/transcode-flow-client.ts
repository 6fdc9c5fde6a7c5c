import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createParser, EventSourceMessage } from 'eventsource-parser';
import { DecoratorHandler, Dispatcher, FormData, getGlobalDispatcher, request } from 'undici';
import type {
  BackfillRequest,
  BackfillResult,
  CreateKeyRequest,
  CreatedKeyView,
  DeadLetterList,
  KeyView,
  ListDeadLettersOptions,
  ListKeysOptions,
  PipelineStatusView,
  ReplayResult,
  RotatedKeyView,
} from './admin-types';
import {
  ApiError,
  CancelResult,
  GraphqlResponse,
  JobPage,
  JobStreamEvent,
  JobView,
  ListJobsOptions,
  RetryResult,
  TERMINAL_STATUSES,
  UploadAccepted,
  UploadOptions,
} from './api-types';

export interface ClientOptions {
  baseUrl?: string;
  apiKey?: string;
}

/** How much of an upload's body went out: `sentBytes` of the file's `totalBytes` (multipart framing included, so it may end a little above). */
export type UploadProgress = (sentBytes: number, totalBytes: number) => void;

/**
 * Reports the bytes of each request body chunk undici writes to the socket. (undici 6 hands
 * onBodySent the chunk itself, whatever its type declarations say.)
 */
class BodySentCounter extends DecoratorHandler {
  constructor(
    private readonly inner: Dispatcher.DispatchHandlers,
    private readonly onChunk: (bytes: number) => void,
  ) {
    super(inner);
  }

  onBodySent(chunk: unknown, ...rest: unknown[]): void {
    this.onChunk(
      typeof chunk === 'string' ? Buffer.byteLength(chunk) : ArrayBuffer.isView(chunk) ? chunk.byteLength : 0,
    );
    (this.inner.onBodySent as ((...args: unknown[]) => void) | undefined)?.call(this.inner, chunk, ...rest);
  }
}

const countingBody = (onChunk: (bytes: number) => void): Dispatcher =>
  getGlobalDispatcher().compose(
    (dispatch) => (options, handler) => dispatch(options, new BodySentCounter(handler, onChunk)),
  );

const TERMINAL = TERMINAL_STATUSES;
/** The longest Retry-After waitForJob waits out; a longer one ends the wait (the caller decides). */
const MAX_RETRY_AFTER_S = 60;

/**
 * Typed HTTP client of the gateway: used by the demo, the CLI and the end-to-end tests.
 * Built on undici's request(), not fetch(): the gateway's port 10080 is on the Fetch standard's
 * list of blocked "bad ports", so fetch() refuses it outright.
 */
export class TranscodeFlowClient {
  readonly baseUrl: string;
  private readonly apiKey: string;

  constructor(options: ClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? process.env.TF_API_URL ?? 'http://127.0.0.1:10080').replace(/\/$/, '');
    this.apiKey = options.apiKey ?? process.env.TF_API_KEY ?? process.env.TF_BOOTSTRAP_API_KEY ?? '';
  }

  /**
   * Streams a local file as multipart/form-data (file-backed Blob: never read whole into memory);
   * `onProgress` hears how many bytes went out as the socket takes them.
   */
  async uploadFile(path: string, options: UploadOptions = {}, onProgress?: UploadProgress): Promise<UploadAccepted> {
    const form = new FormData();
    if (options.targetResolutions) form.set('target_resolutions', options.targetResolutions.join(','));
    if (options.enableHls !== undefined) form.set('enable_hls', String(options.enableHls));
    if (options.enableTranscription !== undefined)
      form.set('enable_transcription', String(options.enableTranscription));
    if (options.webhookUrl) form.set('webhook_url', options.webhookUrl);
    if (options.priority) form.set('priority', options.priority);
    if (options.language) form.set('language', options.language);
    const file = await openAsBlob(path);
    form.set('video_file', file, basename(path));
    let sent = 0;
    const dispatcher = onProgress ? countingBody((bytes) => onProgress((sent += bytes), file.size)) : undefined;
    return this.request('POST', '/api/v1/jobs/upload', form, dispatcher);
  }

  getJob(jobId: string): Promise<JobView> {
    return this.request('GET', `/api/v1/jobs/${encodeURIComponent(jobId)}`);
  }

  /** One page of the tenant's jobs, newest first. */
  listJobs(options: ListJobsOptions = {}): Promise<JobPage> {
    const query = new URLSearchParams();
    if (options.status) query.set('status', options.status);
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.cursor) query.set('cursor', options.cursor);
    if (options.createdAfter) query.set('created_after', options.createdAfter);
    if (options.createdBefore) query.set('created_before', options.createdBefore);
    if (options.label) query.set('label', options.label);
    const qs = query.toString();
    return this.request('GET', `/api/v1/jobs${qs ? `?${qs}` : ''}`);
  }

  /** Cancels a queued or processing job (idempotent); 409 JOB_NOT_CANCELLABLE once it completed or failed. */
  cancelJob(jobId: string, reason?: string): Promise<CancelResult> {
    return this.request('POST', `/api/v1/jobs/${encodeURIComponent(jobId)}/cancel`, reason ? { reason } : {});
  }

  /** Restarts a failed job from the stage(s) that failed; 409 JOB_NOT_RETRYABLE otherwise. */
  retryJob(jobId: string): Promise<RetryResult> {
    return this.request('POST', `/api/v1/jobs/${encodeURIComponent(jobId)}/retry`);
  }

  /** Creates an API key (admin scope); the answer carries the key, shown this once. */
  createKey(body: CreateKeyRequest): Promise<CreatedKeyView> {
    return this.request('POST', '/api/v1/admin/keys', body);
  }

  /** The keys of the caller's tenant (a platform admin: every tenant, or `tenantId`'s); never the keys themselves. */
  listKeys(options: ListKeysOptions = {}): Promise<KeyView[]> {
    const query = new URLSearchParams();
    if (options.tenantId) query.set('tenant_id', options.tenantId);
    if (options.state) query.set('state', options.state);
    const qs = query.toString();
    return this.request('GET', `/api/v1/admin/keys${qs ? `?${qs}` : ''}`);
  }

  /** Issues a replacement key (shown once); the old one stops now or after `graceSeconds`. */
  rotateKey(id: string, graceSeconds = 0): Promise<RotatedKeyView> {
    return this.request('POST', `/api/v1/admin/keys/${encodeURIComponent(id)}/rotate`, {
      grace_period_s: graceSeconds,
    });
  }

  /** Revokes a key at once, on every gateway replica. */
  revokeKey(id: string): Promise<KeyView> {
    return this.request('POST', `/api/v1/admin/keys/${encodeURIComponent(id)}/revoke`);
  }

  /** Retries every failed job created in [from, to) (admin scope; another tenant's jobs need a platform admin key). */
  backfillJobs(body: BackfillRequest): Promise<BackfillResult> {
    return this.request('POST', '/api/v1/admin/jobs/backfill', body);
  }

  /** Every consumer group's dead-letter topic and its newest dead letters with their job's status (platform admin key). */
  listDeadLetters(options: ListDeadLettersOptions = {}): Promise<DeadLetterList> {
    const query = new URLSearchParams();
    if (options.group) query.set('group', options.group);
    if (options.jobId) query.set('job_id', options.jobId);
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    const qs = query.toString();
    return this.request('GET', `/api/v1/admin/dead-letters${qs ? `?${qs}` : ''}`);
  }

  /** Per consumer group of the chain: replicas, lag, throughput over `windowS` seconds, failures (platform admin key). */
  pipelineStatus(windowS?: number): Promise<PipelineStatusView> {
    const qs = windowS === undefined ? '' : `?window_s=${encodeURIComponent(String(windowS))}`;
    return this.request('GET', `/api/v1/admin/pipeline/status${qs}`);
  }

  /** Replays a group's dead letters (of one job) through the normal path, exactly once (platform admin key). */
  replayDeadLetters(group: string, jobId?: string): Promise<ReplayResult> {
    return this.request(
      'POST',
      `/api/v1/admin/dead-letters/${encodeURIComponent(group)}/replay`,
      jobId ? { job_id: jobId } : {},
    );
  }

  /** A GraphQL operation over HTTP (POST /graphql) with this client's key; GraphQL errors come back in `errors`. */
  async graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphqlResponse<T>> {
    const response = await request(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'x-api-key': this.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.body.text();
    const body = safeJson(text);
    if (!('data' in body) && !('errors' in body))
      throw new ApiError(response.statusCode, String(body.code ?? 'HTTP_ERROR'), String(body.message ?? text));
    return body as GraphqlResponse<T>;
  }

  /** Server-Sent Events of one job, until the stream ends or `signal` aborts. */
  async *jobEvents(jobId: string, signal?: AbortSignal): AsyncGenerator<JobStreamEvent> {
    const response = await request(`${this.baseUrl}/api/v1/events/jobs/${encodeURIComponent(jobId)}`, {
      headers: { 'x-api-key': this.apiKey, accept: 'text/event-stream' },
      signal,
      bodyTimeout: 0,
    });
    if (response.statusCode >= 400) throw await toApiError(response);
    const pending: JobStreamEvent[] = [];
    const parser = createParser({
      onEvent: (m: EventSourceMessage) => pending.push({ event: m.event ?? 'message', data: safeJson(m.data) }),
    });
    const decoder = new TextDecoder();
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      while (pending.length) yield pending.shift()!;
    }
  }

  /**
   * Follows the job's events until it is completed, failed or cancelled; then returns its final view. A rate-limit
   * refusal (429 RATE_LIMITED with a Retry-After of at most a minute, e.g. many jobs followed at once on one key)
   * waits as told, plus a little jitter, and tries again; any other API error ends the wait, and so does a status
   * read that cannot reach the API. Only a broken event stream (a gateway restart) is re-read and reconnected.
   */
  async waitForJob(jobId: string, onEvent?: (e: JobStreamEvent) => void): Promise<JobView> {
    for (;;) {
      let current: JobView;
      try {
        current = await this.getJob(jobId);
      } catch (e) {
        await waitOutRateLimit(e);
        continue;
      }
      if (TERMINAL.has(current.status)) return current;
      try {
        for await (const event of this.jobEvents(jobId)) {
          onEvent?.(event);
          if (TERMINAL.has(String(event.data.status ?? ''))) break;
        }
      } catch (e) {
        if (e instanceof ApiError) await waitOutRateLimit(e);
        // The stream broke (gateway restart): re-read the status and reconnect.
        else await sleep(1000);
      }
    }
  }

  private async request<T>(
    method: Dispatcher.HttpMethod,
    path: string,
    body?: FormData | object,
    dispatcher?: Dispatcher,
  ): Promise<T> {
    const isForm = body instanceof FormData;
    const response = await request(`${this.baseUrl}${path}`, {
      method,
      dispatcher,
      headers: { 'x-api-key': this.apiKey, ...(body && !isForm ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
    if (response.statusCode >= 400) throw await toApiError(response);
    return (await response.body.json()) as T;
  }
}

async function toApiError(response: Dispatcher.ResponseData): Promise<ApiError> {
  const text = await response.body.text().catch(() => '');
  const body = safeJson(text);
  const header = response.headers['x-request-id'];
  const requestId =
    typeof body.request_id === 'string' ? body.request_id : typeof header === 'string' ? header : undefined;
  return new ApiError(
    response.statusCode,
    String(body.code ?? 'HTTP_ERROR'),
    String(body.message ?? text),
    requestId,
    retryAfterSeconds(response.headers['retry-after']),
  );
}

/**
 * Waits out a 429 RATE_LIMITED whose Retry-After is at most MAX_RETRY_AFTER_S (jittered, so that the many streams
 * one key follows do not all come back in the same second); rethrows anything else.
 */
async function waitOutRateLimit(error: unknown): Promise<void> {
  const told =
    error instanceof ApiError && error.status === 429 && error.code === 'RATE_LIMITED'
      ? error.retryAfterSeconds
      : undefined;
  if (told === undefined || told > MAX_RETRY_AFTER_S) throw error;
  await sleep(Math.max(1, told) * (1 + Math.random() / 2) * 1000);
}

/** Retry-After in its delta-seconds form (what the gateway sends); absent, a date or nonsense gives undefined. */
function retryAfterSeconds(header: string | string[] | undefined): number | undefined {
  return typeof header === 'string' && /^\d{1,6}$/.test(header.trim()) ? Number(header) : undefined;
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : { value };
  } catch {
    return { raw: text };
  }
}
