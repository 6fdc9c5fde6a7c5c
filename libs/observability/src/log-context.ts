import { AsyncLocalStorage } from 'node:async_hooks';

export interface LogContext {
  job_id?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with fields (job_id) that every log line written inside it carries. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, fn);
}

export const currentLogContext = (): LogContext => storage.getStore() ?? {};
