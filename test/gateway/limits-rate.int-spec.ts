import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import Redis from 'ioredis';
import { TokenBuckets } from '../../apps/gateway/src/limits/rate/token-bucket';
import { repoRoot } from '../support/processes';
import { GatewayProcess, startGateway } from './gateway-harness';
import { AdminClient, Answer, expectRateLimitHeaders, probe, rand, startReplicas, unknownKey } from './auth-harness';

const REDIS_URL = process.env.TF_REDIS_URL ?? 'redis://127.0.0.1:6380';
/** Defaults of these replicas: 20 tokens that (for the length of a test) never come back. */
const DEFAULT_CAPACITY = 20;
const NO_REFILL = 0.0001;

// Rate limits: Redis token buckets shared by every replica. Counts, never times: the buckets refill
// so slowly that no token comes back while a test runs.
describe('gateway rate limits', () => {
  let a: GatewayProcess;
  let b: GatewayProcess;
  let admin: AdminClient;
  const tenant = `itest-rate-${rand()}`;

  const hit = (gw: GatewayProcess, key: string | null, localAddress?: string) =>
    probe(`${gw.url}/api/v1/jobs/00000000-0000-0000-0000-000000000000`, { key, localAddress });
  const newKey = async (capacity: number) =>
    (
      await admin.createKey({
        tenant_id: tenant,
        scopes: ['jobs:read'],
        limits: { rate_limit_capacity: capacity, rate_limit_refill_per_s: NO_REFILL },
      })
    ).key;

  beforeAll(async () => {
    const started = await startReplicas(2, {
      TF_RATE_LIMIT_CAPACITY: String(DEFAULT_CAPACITY),
      TF_RATE_LIMIT_REFILL_PER_S: String(NO_REFILL),
    });
    [a, b] = started.replicas;
    // The platform admin of this test gets a bucket of its own size (the bootstrap key has the small default).
    const out = execFileSync(
      process.execPath,
      [
        join(repoRoot, 'bin/tflow.js'),
        'keys',
        'create',
        '--tenant',
        'default',
        '--scopes',
        'admin',
        '--platform-admin',
        '--rate-limit-capacity',
        '100000',
        '--rate-limit-refill',
        '1000',
      ],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        // tflow keys: the admin API, with the replicas' bootstrap key (a platform admin).
        env: { ...process.env, TF_API_URL: a.url, TF_API_KEY: started.bootstrapKey },
      },
    );
    admin = new AdminClient(a.url, out.trim());
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('takes tokens atomically in Redis: concurrent takes from two connections never overdraw a bucket', async () => {
    const r1 = new Redis(REDIS_URL);
    const r2 = new Redis(REDIS_URL);
    try {
      const [x, y] = [new TokenBuckets(r1), new TokenBuckets(r2)];
      const bucket = `tf:gateway:ratelimit:itest:${rand()}`;
      const policy = { capacity: 10, refillPerSecond: NO_REFILL };
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? x : y).take(bucket, policy)));
      expect(results.filter((d) => d.allowed)).toHaveLength(10);
      const refused = results.filter((d) => !d.allowed);
      expect(refused).toHaveLength(30);
      for (const d of refused) {
        expect(d.remaining).toBe(0);
        expect(d.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      }
      // A lowered capacity holds at once: the bucket is empty either way.
      expect((await x.take(bucket, { capacity: 2, refillPerSecond: NO_REFILL })).allowed).toBe(false);
      expect(await r1.pttl(bucket)).toBeGreaterThan(0);
    } finally {
      r1.disconnect();
      r2.disconnect();
    }
  });

  it('grants a lease (cost plus extra tokens when there) in one atomic take, never more than the bucket holds, and takes unused ones back', async () => {
    const r = new Redis(REDIS_URL);
    try {
      const buckets = new TokenBuckets(r);
      const bucket = `tf:gateway:ratelimit:itest:${rand()}`;
      const policy = { capacity: 10, refillPerSecond: NO_REFILL };
      expect(await buckets.take(bucket, policy, 1, 6)).toMatchObject({ allowed: true, granted: 7, remaining: 3 });
      expect(await buckets.take(bucket, policy, 2, 6)).toMatchObject({ allowed: true, granted: 3, remaining: 0 });
      expect(await buckets.take(bucket, policy, 1, 6)).toMatchObject({ allowed: false, granted: 0, remaining: 0 });
      // A lease's unused tokens go back first (5 of them here), never above the capacity.
      expect(await buckets.take(bucket, policy, 1, 0, 5)).toMatchObject({ allowed: true, granted: 1, remaining: 4 });
      expect(await buckets.take(bucket, policy, 1, 0, 50)).toMatchObject({ allowed: true, granted: 1, remaining: 9 });
    } finally {
      r.disconnect();
    }
  });

  it('allows a key its N requests across two replicas, then answers 429 RATE_LIMITED with Retry-After; headers on all', async () => {
    const N = 6;
    const key = await newKey(N);
    const answers: Answer[] = [];
    for (let i = 0; i <= N; i++) answers.push(await hit(i % 2 ? b : a, key));
    answers.forEach(expectRateLimitHeaders);
    expect(answers.slice(0, N).map((r) => r.status)).toEqual(Array(N).fill(404));
    expect(answers.map((r) => r.headers['ratelimit-remaining'])).toEqual(['5', '4', '3', '2', '1', '0', '0']);
    expect(answers.every((r) => r.headers['ratelimit-limit'] === String(N))).toBe(true);
    const last = answers[N];
    expect(last.status).toBe(429);
    expect(last.json()).toEqual({ code: 'RATE_LIMITED', message: expect.any(String), request_id: expect.any(String) });
    expect(Number(last.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(last.headers['ratelimit-policy']).toMatch(/^6;w=\d+/);
    // The other replica shares the bucket.
    expect((await hit(a, key)).status).toBe(429);
    expect((await hit(b, key)).status).toBe(429);
  });

  it('lets exactly `capacity` requests of a concurrent burst through, split over two replicas', async () => {
    const key = await newKey(10);
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => hit(i % 2 ? a : b, key)));
    expect(answers.filter((r) => r.status === 404)).toHaveLength(10);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(20);
    answers.forEach(expectRateLimitHeaders);
  });

  it('keeps keys apart: one exhausted key does not limit another', async () => {
    const [k1, k2] = [await newKey(1), await newKey(1)];
    expect((await hit(a, k1)).status).toBe(404);
    expect((await hit(b, k1)).status).toBe(429);
    expect((await hit(b, k2)).status).toBe(404);
  });

  it('counts requests without a valid key per client address, then answers 429 to them too', async () => {
    const address = `127.${randomInt(1, 255)}.${randomInt(0, 255)}.${randomInt(1, 255)}`;
    const answers: Answer[] = [];
    for (let i = 0; i < DEFAULT_CAPACITY; i++)
      answers.push(await hit(i % 2 ? a : b, i % 3 ? null : unknownKey(), address));
    expect(answers.map((r) => r.status)).toEqual(Array(DEFAULT_CAPACITY).fill(401));
    answers.forEach(expectRateLimitHeaders);
    const limited = await hit(a, null, address);
    expect(limited.status).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();
    // A valid key from that address has its own bucket.
    expect((await hit(a, await newKey(5), address)).status).toBe(404);
  });

  it('fails open without Redis: requests are served, without RateLimit headers', async () => {
    const key = await newKey(1);
    const gw = await startGateway({ TF_REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await hit(gw, key);
        expect(res.status).toBe(404);
        expect(res.headers['ratelimit-limit']).toBeUndefined();
      }
    } finally {
      await gw.stop();
    }
  });
});
