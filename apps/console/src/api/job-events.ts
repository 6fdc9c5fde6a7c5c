import { EventSourceParserStream } from 'eventsource-parser/stream';
import { useEffect, useRef, useState } from 'react';
import { ApiError, apiErrorFrom, toApiError } from './api-error';
import { signInPath, type Schemas } from './client';
import { clearApiKey, getApiKey } from './session-key';

/** One event of a job stream: `state` carries the job itself, every other event a JobEventDto. */
export type JobEvent =
  { type: 'state'; job: Schemas['JobViewDto'] } | { type: 'change'; event: Schemas['JobEventDto'] };

export interface JobEventsState {
  /** The stream is open (a state snapshot arrived since it last opened). */
  live: boolean;
  /** Why the stream is not open (it retries on its own, except for a refused key). */
  error: ApiError | null;
}

const RETRY_MS = 2000;
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/**
 * Live updates of one job (GET /api/v1/events/jobs/{id}, Server-Sent Events read with fetch so the key
 * travels in X-API-Key, which EventSource cannot send). `onEvent` gets the state snapshot first, then
 * every change; a dropped stream reopens (with a fresh snapshot) until the job ends. A revoked key
 * (KEY_REVOKED, or 401 on reopening) sends the person to sign-in.
 */
export function useJobEvents(jobId: string | null, onEvent: (event: JobEvent) => void): JobEventsState {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [state, setState] = useState<JobEventsState>({ live: false, error: null });

  useEffect(() => {
    if (!jobId) return;
    const abort = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = async (): Promise<void> => {
      let ended = false;
      try {
        ended = await readStream(`/api/v1/events/jobs/${encodeURIComponent(jobId)}`, abort.signal, (event) => {
          setState({ live: true, error: null });
          handler.current(event);
        });
        if (ended) return setState({ live: false, error: null });
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
  }, [jobId]);

  return state;
}

function sendToSignIn(): void {
  clearApiKey();
  location.assign(signInPath());
}

/** Reads one SSE stream to its end; true when it ended with the job's terminal event. */
async function readStream(path: string, signal: AbortSignal, emit: (event: JobEvent) => void): Promise<boolean> {
  const key = getApiKey();
  const response = await fetch(path, {
    headers: { Accept: 'text/event-stream', ...(key ? { 'X-API-Key': key } : {}) },
    signal,
    cache: 'no-store',
  });
  if (!response.ok || !response.body) throw await apiErrorFrom(response);
  const events = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
  const reader = events.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return false;
    const data = JSON.parse(value.data) as unknown;
    if (value.event === 'state') emit({ type: 'state', job: data as Schemas['JobViewDto'] });
    else if (value.event === 'error') {
      // The stream's own end with a reason (KEY_REVOKED when the key was revoked while it was open).
      const error = (data as { error?: { code?: string; message?: string } }).error;
      throw new ApiError(409, error?.code ?? 'STREAM_ERROR', error?.message ?? 'The event stream ended', null);
    } else {
      const event = data as Schemas['JobEventDto'];
      emit({ type: 'change', event });
      if (TERMINAL.has(event.type)) return true;
    }
  }
}
