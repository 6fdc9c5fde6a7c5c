/**
 * Runs `work` for every item with at most `limit` running at once (parts go to storage side by side,
 * a few at a time, like the AWS SDK's multipart uploader). The first failure aborts the others
 * (through the signal each work gets) and is what the pool rejects with, once all have settled.
 */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, signal: AbortSignal) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async (): Promise<void> => {
    while (next < items.length && !stop.signal.aborted) {
      const item = items[next++];
      try {
        await work(item, stop.signal);
      } catch (error) {
        failure ??= { error };
        stop.abort(error);
      }
    }
  };
  try {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (failure) throw (failure as { error: unknown }).error;
  if (signal?.aborted) throw signal.reason ?? new Error('aborted');
}

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before try n+1 (n from 1). */
  delayMs: (attempt: number) => number;
  /** Whether an error is worth another try (a network drop, a 5xx) or final (a 4xx). */
  retryable: (error: unknown) => boolean;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason ?? new Error('aborted'));
    });
  });

/** `fn` until it succeeds, a non-retryable error, the last attempt, or the signal aborts. */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<T> {
  const sleep = policy.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (signal?.aborted || attempt >= policy.attempts || !policy.retryable(error)) throw error;
      await sleep(policy.delayMs(attempt), signal);
    }
  }
}
