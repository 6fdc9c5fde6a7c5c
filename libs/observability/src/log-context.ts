import { trace } from '@opentelemetry/api';
import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line written in a scope carries (besides the active span's trace_id and span_id). */
export interface LogContext {
  job_id?: string;
  /**
   * The job's trace when no span of it is active here (a message's retry and dead-letter lines are
   * written between its attempts' spans); an active span's own trace id wins.
   */
  trace_id?: string;
  /** The HTTP request being answered (X-Request-Id). */
  request_id?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with fields (job_id, trace_id, request_id) that every log line written inside it carries. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...dropUndefined(fields) }, fn);
}

/**
 * Adds fields to the scope opened by the nearest `withLogContext` (e.g. the job id, once a message is
 * decoded): the lines written in that scope from now on carry them. Outside any scope it does nothing.
 */
export function addToLogContext(fields: LogContext): void {
  const store = storage.getStore();
  if (store) Object.assign(store, dropUndefined(fields));
}

export const currentLogContext = (): LogContext => storage.getStore() ?? {};

const dropUndefined = (fields: LogContext): LogContext =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as LogContext;

/** The trace being worked on here: the active span's, else the one the log context names. */
export const currentTraceId = (): string | undefined =>
  trace.getActiveSpan()?.spanContext().traceId ?? currentLogContext().trace_id;
