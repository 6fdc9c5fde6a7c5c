import { runPool, withRetry } from './run-pool';

const tick = () => new Promise((r) => setTimeout(r, 1));
const untilAborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve())));

describe('runPool', () => {
  it('does every item with at most `limit` at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await runPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
      done.push(n);
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('stops at the first failure: the others are aborted, nothing new starts, and it rejects with that failure', async () => {
    const started: number[] = [];
    const aborted: number[] = [];
    const run = runPool([1, 2, 3, 4, 5], 2, async (n, signal) => {
      started.push(n);
      if (n === 1) throw new Error('part 1 refused');
      await untilAborted(signal);
      aborted.push(n);
    });
    await expect(run).rejects.toThrow('part 1 refused');
    expect(started).toEqual([1, 2]);
    expect(aborted).toEqual([2]);
  });

  it("rejects when the caller's signal aborts", async () => {
    const stop = new AbortController();
    const run = runPool(
      [1, 2],
      1,
      async (_n, signal) => {
        stop.abort(new Error('cancelled by the person'));
        await untilAborted(signal);
      },
      stop.signal,
    );
    await expect(run).rejects.toThrow('cancelled by the person');
  });
});

describe('withRetry', () => {
  const policy = (attempts: number) => ({
    attempts,
    delayMs: (a: number) => a * 10,
    retryable: (e: unknown) => (e as Error).message === 'flaky',
    sleep: jest.fn(async () => undefined),
  });

  it('tries again after a retryable error, waiting the policy delay', async () => {
    const p = policy(3);
    let calls = 0;
    const value = await withRetry(async () => {
      if (++calls < 3) throw new Error('flaky');
      return 'ok';
    }, p);
    expect([value, calls]).toEqual(['ok', 3]);
    expect(p.sleep.mock.calls.map((c: unknown[]) => c[0])).toEqual([10, 20]);
  });

  it('gives up at once on a final error, and after the last attempt on a retryable one', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw new Error('final');
      }, policy(5)),
    ).rejects.toThrow('final');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw new Error('flaky');
      }, policy(4)),
    ).rejects.toThrow('flaky');
    expect(calls).toBe(4);
  });
});
