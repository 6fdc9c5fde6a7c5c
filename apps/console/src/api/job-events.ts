import { EventSourceParserStream } from 'eventsource-parser/stream';
import { useEffect, useRef, useState } from 'react';
import { ApiError, apiErrorFrom, toApiError } from './api-error';
import { signInPath, type Schemas } from './client';
import { clearApiKey, getApiKey } from './session-key';

/** One event of a job stream: `state` carries the job itself, every other event a JobEventDto. */
/** @public */
export type JobEvent =
  { type: 'state'; job: Schemas['JobViewDto'] } | { type: 'change'; event: Schemas['JobEventDto'] };

/** One event of the tenant's stream: a change of any of its jobs, or `resync` (changes may have been missed: reload). */
export type TenantJobEvent = { type: 'resync' } | { type: 'change'; event: Schemas['JobEventDto'] };

/** @public */
export interface JobEventsState {
  /** The stream is open. */
  live: boolean;
  /** Why the stream is not open (it retries on its own, except for a refused key or an unknown job). */
  error: ApiError | null;
}

const RETRY_MS = 2000;
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

type Frame = { event?: string; data: string };
/** What a stream's reader decides for each frame: go on, or the stream is complete (do not reopen). */
type Emit = (frame: Frame) => 'more' | 'done';

/**
 * Live updates of one job (GET /api/v1/events/jobs/{id}, Server-Sent Events read with fetch so the key
 * travels in X-API-Key, which EventSource cannot send). `onEvent` gets the state snapshot first, then
 * every change; a dropped stream reopens (with a fresh snapshot) until the job ends. A revoked key
 * (KEY_REVOKED on the stream, or 401 on reopening) sends the person to sign-in.
 */
/** @public */
export function useJobEvents(jobId: string | null, onEvent: (event: JobEvent) => void): JobEventsState {
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  return useEventStream(jobId ? `/api/v1/events/jobs/${encodeURIComponent(jobId)}` : null, (frame) => {
    const data = JSON.parse(frame.data) as unknown;
    if (frame.event === 'state') {
      handler.current({ type: 'state', job: data as Schemas['JobViewDto'] });
      return TERMINAL.has((data as Schemas['JobViewDto']).status) ? 'done' : 'more';
    }
    const event = data as Schemas['JobEventDto'];
    handler.current({ type: 'change', event });
    return TERMINAL.has(event.type) ? 'done' : 'more';
  });
}

/**
 * Live updates of every job of the signed-in tenant (GET /api/v1/events/jobs): each change as it
 * commits, and `resync` after the stream was reopened or the gateway may have missed changes.
 */
export function useTenantJobEvents(onEvent: (event: TenantJobEvent) => void, enabled = true): JobEventsState {
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  const opened = useRef(false);
  return useEventStream(enabled ? '/api/v1/events/jobs' : null, (frame) => {
    if (frame.event === 'ready') {
      // A reopened stream: what changed while it was down is unknown.
      if (opened.current) handler.current({ type: 'resync' });
      opened.current = true;
    } else if (frame.event === 'resync') handler.current({ type: 'resync' });
    else handler.current({ type: 'change', event: JSON.parse(frame.data) as Schemas['JobEventDto'] });
    return 'more';
  });
}

function useEventStream(path: string | null, emit: Emit): JobEventsState {
  const emitRef = useRef(emit);
  useEffect(() => {
    emitRef.current = emit;
  });
  const [state, setState] = useState<JobEventsState>({ live: false, error: null });

  useEffect(() => {
    if (!path) return;
    const abort = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = async (): Promise<void> => {
      try {
        const done = await readStream(
          path,
          abort.signal,
          () => setState({ live: true, error: null }),
          (f) => emitRef.current(f),
        );
        if (done) return setState({ live: false, error: null });
        setState({ live: false, error: null });
      } catch (error) {
        if (abort.signal.aborted) return;
        const apiError = toApiError(error);
        if (apiError.status === 401 || apiError.code === 'KEY_REVOKED') return sendToSignIn();
        setState({ live: false, error: apiError });
        if (apiError.status === 404 || apiError.status === 403) return;
      }
      if (!abort.signal.aborted) retry = setTimeout(() => void open(), RETRY_MS);
    };
    void open();
    return () => {
      abort.abort();
      clearTimeout(retry);
    };
  }, [path]);

  return state;
}

function sendToSignIn(): void {
  clearApiKey();
  location.assign(signInPath());
}

/** Reads one SSE stream to its end; true when the reader said the stream is complete. */
async function readStream(path: string, signal: AbortSignal, onOpen: () => void, emit: Emit): Promise<boolean> {
  const key = getApiKey();
  const response = await fetch(path, {
    headers: { Accept: 'text/event-stream', ...(key ? { 'X-API-Key': key } : {}) },
    signal,
    cache: 'no-store',
  });
  if (!response.ok || !response.body) throw await apiErrorFrom(response);
  onOpen();
  const reader = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return false;
    if (value.event === 'error') {
      // The stream's own end with a reason (KEY_REVOKED when the key was revoked while it was open).
      const error = (JSON.parse(value.data) as { error?: { code?: string; message?: string } }).error;
      throw new ApiError(409, error?.code ?? 'STREAM_ERROR', error?.message ?? 'The event stream ended', null);
    }
    if (emit(value) === 'done') {
      await reader.cancel();
      return true;
    }
  }
}
