import { waitForDependency } from './wait-for-dependency';

/** A clock that only moves when the wait sleeps, and a logger that keeps its lines. */
function harness() {
  let t = 0;
  const lines: string[] = [];
  const sleeps: number[] = [];
  return {
    lines,
    sleeps,
    options: {
      now: () => t,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        t += ms;
      },
      logger: { warn: (m: string) => lines.push(`warn ${m}`), log: (m: string) => lines.push(`log ${m}`) },
    },
  };
}

describe('waitForDependency', () => {
  it('retries a failing start-up step with a growing, capped backoff and a log line per try, until it succeeds', async () => {
    const h = harness();
    let calls = 0;
    const value = await waitForDependency(
      'S3',
      async () => {
        if (++calls < 6)
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9000'), { code: 'ECONNREFUSED' });
        return 'ready';
      },
      { ...h.options, firstDelayMs: 1000, maxDelayMs: 4000, timeoutMs: 60_000 },
    );
    expect(value).toBe('ready');
    expect(h.sleeps).toEqual([1000, 2000, 4000, 4000, 4000]);
    expect(h.lines.filter((l) => l.startsWith('warn waiting for S3'))).toHaveLength(5);
    expect(h.lines.at(-1)).toBe('log S3 is available (after 6 tries)');
  });

  it('gives up with the last error once the bound is reached', async () => {
    const h = harness();
    const step = jest.fn(async () => {
      throw new Error('the database system is starting up');
    });
    await expect(
      waitForDependency('Postgres', step, { ...h.options, firstDelayMs: 1000, maxDelayMs: 1000, timeoutMs: 5_000 }),
    ).rejects.toThrow('starting up');
    expect(step).toHaveBeenCalledTimes(6);
  });

  it('does not wait when the step succeeds at once', async () => {
    const h = harness();
    await expect(waitForDependency('Kafka', async () => 1, h.options)).resolves.toBe(1);
    expect(h.sleeps).toEqual([]);
    expect(h.lines).toEqual([]);
  });
});
