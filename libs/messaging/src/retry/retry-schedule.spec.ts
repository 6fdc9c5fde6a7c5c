import { DEFAULT_DURABLE_RETRY_CONFIG, DurableRetryConfig, durableRetryConfigFromEnv } from './durable-retry-config';
import {
  decideHead,
  delayForLevel,
  nextRetry,
  readRetryHeaders,
  retryHeaders,
  retryLevelOf,
  retryTopicFor,
  retryTopicsFor,
} from './retry-schedule';

const MIN = 60_000;

describe('durable retry schedule', () => {
  it("defaults to the original product's: 3 retries, 5, 10, 20 minutes (cap 30)", () => {
    const c = DEFAULT_DURABLE_RETRY_CONFIG;
    expect([1, 2, 3].map((l) => delayForLevel(l, c) / MIN)).toEqual([5, 10, 20]);
    expect(retryTopicsFor('tf-transcoder', c)).toEqual([
      'tf.retry.tf-transcoder.1',
      'tf.retry.tf-transcoder.2',
      'tf.retry.tf-transcoder.3',
    ]);
  });

  it('doubles per level and caps every level at the maximum', () => {
    const c: DurableRetryConfig = { retries: 6, firstDelayMs: 5 * MIN, maxDelayMs: 30 * MIN };
    expect([1, 2, 3, 4, 5, 6].map((l) => delayForLevel(l, c) / MIN)).toEqual([5, 10, 20, 30, 30, 30]);
  });

  it('sends a first failure to level 1, a failure on level n to n+1, due after that level’s delay; none after the last', () => {
    const c: DurableRetryConfig = { retries: 3, firstDelayMs: 1000, maxDelayMs: 3000 };
    const now = 1_700_000_000_000;
    expect(nextRetry('g', 0, c, now)).toEqual({ level: 1, topic: 'tf.retry.g.1', dueAt: now + 1000 });
    expect(nextRetry('g', 1, c, now)).toEqual({ level: 2, topic: 'tf.retry.g.2', dueAt: now + 2000 });
    expect(nextRetry('g', 2, c, now)).toEqual({ level: 3, topic: 'tf.retry.g.3', dueAt: now + 3000 });
    expect(nextRetry('g', 3, c, now)).toBeNull();
    expect(nextRetry('g', 0, { ...c, retries: 0 }, now)).toBeNull();
  });

  it('tells retry topics (and their level) from pipeline topics', () => {
    expect(retryLevelOf(retryTopicFor('tf-gateway-jobs', 2))).toBe(2);
    expect(retryLevelOf('tf.video.validated.high')).toBeNull();
    expect(retryLevelOf('tf.dlq.tf-hls')).toBeNull();
  });

  it('round-trips the retry headers and keeps the message’s own (trace context)', () => {
    const headers = retryHeaders(
      { traceparent: '00-abc-def-01' },
      'tf.video.uploaded.low',
      { level: 2, topic: 'tf.retry.g.2', dueAt: 1234 },
      'STORAGE_UNAVAILABLE',
    );
    expect(headers.traceparent).toBe('00-abc-def-01');
    const asConsumed = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(String(v))]));
    expect(readRetryHeaders(asConsumed)).toEqual({ originalTopic: 'tf.video.uploaded.low', level: 2, dueAt: 1234 });
    expect(readRetryHeaders({ traceparent: Buffer.from('x') })).toBeNull();
    expect(readRetryHeaders({ ...asConsumed, 'tf-retry-level': Buffer.from('zero') })).toBeNull();
  });

  it('handles a due head at once and holds a head that is not due for exactly the rest of its wait', () => {
    expect(decideHead(1000, 1000)).toEqual({ action: 'handle' });
    expect(decideHead(1000, 5000)).toEqual({ action: 'handle' });
    expect(decideHead(5000, 1000)).toEqual({ action: 'wait', ms: 4000 });
  });
});

describe('durableRetryConfigFromEnv', () => {
  it('reads the three variables', () => {
    expect(
      durableRetryConfigFromEnv({
        TF_DURABLE_RETRIES: '5',
        TF_DURABLE_RETRY_FIRST_DELAY_MS: '2000',
        TF_DURABLE_RETRY_MAX_DELAY_MS: '8000',
      }),
    ).toEqual({
      retries: 5,
      firstDelayMs: 2000,
      maxDelayMs: 8000,
    });
    expect(durableRetryConfigFromEnv({})).toEqual(DEFAULT_DURABLE_RETRY_CONFIG);
  });

  it('refuses values that make no sense, naming the variable', () => {
    expect(() => durableRetryConfigFromEnv({ TF_DURABLE_RETRIES: '-1' })).toThrow(/TF_DURABLE_RETRIES/);
    expect(() => durableRetryConfigFromEnv({ TF_DURABLE_RETRIES: '99' })).toThrow(/TF_DURABLE_RETRIES/);
    expect(() => durableRetryConfigFromEnv({ TF_DURABLE_RETRY_FIRST_DELAY_MS: '5m' })).toThrow(
      /TF_DURABLE_RETRY_FIRST_DELAY_MS/,
    );
    expect(() =>
      durableRetryConfigFromEnv({ TF_DURABLE_RETRY_FIRST_DELAY_MS: '9000', TF_DURABLE_RETRY_MAX_DELAY_MS: '1000' }),
    ).toThrow(/must not be below/);
  });
});
