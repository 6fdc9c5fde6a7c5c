import { LEASE_LIFETIME_MS, LeasedTokenBuckets, SharedTokenBuckets } from './leased-token-buckets';
import type { BucketDecision, BucketPolicy } from './token-bucket';

/** The Redis script's arithmetic without refill: take `cost`, plus up to `extra` when there. */
class CountingBuckets implements SharedTokenBuckets {
  calls = 0;
  inFlight = 0;
  maxInFlight = 0;
  fail = false;
  private readonly tokens = new Map<string, number>();

  async take(
    key: string,
    policy: BucketPolicy,
    cost: number,
    extra: number,
    giveBack: number,
  ): Promise<BucketDecision> {
    this.calls++;
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    if (this.fail) throw new Error('redis down');
    const tokens = Math.min(policy.capacity, (this.tokens.get(key) ?? policy.capacity) + giveBack);
    const allowed = tokens >= cost;
    const granted = allowed ? cost + Math.min(extra, Math.floor(tokens - cost)) : 0;
    this.tokens.set(key, tokens - granted);
    return {
      allowed,
      granted,
      remaining: tokens - granted,
      resetSeconds: 60,
      retryAfterSeconds: allowed ? 0 : 5,
      policy,
    };
  }
}

const big: BucketPolicy = { capacity: 100_000, refillPerSecond: 0.0001 };

describe('LeasedTokenBuckets', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('takes every token from the shared bucket for a bucket under 200 tokens (the default 100): exact as before', async () => {
    const shared = new CountingBuckets();
    const leased = new LeasedTokenBuckets(shared, clock);
    const policy = { capacity: 100, refillPerSecond: 0.0001 };
    const decisions = [];
    for (let i = 0; i < 120; i++) decisions.push(await leased.take('k', policy));
    expect(shared.calls).toBe(120);
    expect(decisions.filter((d) => d.allowed)).toHaveLength(100);
    expect(decisions.slice(0, 100).map((d) => d.remaining)).toEqual(Array.from({ length: 100 }, (_, i) => 99 - i));
  });

  it('serves a busy key from growing leases: far fewer round trips, the same remaining count as one take each', async () => {
    const shared = new CountingBuckets();
    const leased = new LeasedTokenBuckets(shared, clock);
    const remaining = [];
    for (let i = 0; i < 1000; i++) remaining.push((await leased.take('k', big)).remaining);
    expect(shared.calls).toBeLessThan(20); // leases of 1, 2, 4, ... tokens, capped at 1 % (1000)
    expect(remaining).toEqual(Array.from({ length: 1000 }, (_, i) => big.capacity - 1 - i));
  });

  it('makes concurrent requests of a key wait for one lease instead of each going to the shared bucket', async () => {
    const shared = new CountingBuckets();
    const leased = new LeasedTokenBuckets(shared, clock);
    for (let i = 0; i < 8; i++) await leased.take('k', big); // the lease grows
    shared.calls = 0;
    const burst = await Promise.all(Array.from({ length: 50 }, () => leased.take('k', big)));
    expect(burst.every((d) => d.allowed)).toBe(true);
    expect(shared.maxInFlight).toBe(1);
    expect(shared.calls).toBeLessThan(10);
  });

  it('never hands out more than the bucket holds, however the takes interleave', async () => {
    const shared = new CountingBuckets();
    const leased = [new LeasedTokenBuckets(shared, clock), new LeasedTokenBuckets(shared, clock)];
    const policy = { capacity: 500, refillPerSecond: 0.0001 };
    const all = await Promise.all(Array.from({ length: 1200 }, (_, i) => leased[i % 2].take('k', policy)));
    expect(all.filter((d) => d.allowed)).toHaveLength(500);
  });

  it('does not hand out a lease past its lifetime: the next request goes to the shared bucket', async () => {
    const shared = new CountingBuckets();
    const leased = new LeasedTokenBuckets(shared, clock);
    for (let i = 0; i < 20; i++) await leased.take('k', big);
    const calls = shared.calls;
    await leased.take('k', big);
    expect(shared.calls).toBe(calls); // served from the lease
    now += LEASE_LIFETIME_MS;
    await leased.take('k', big);
    expect(shared.calls).toBe(calls + 1);
  });

  it('asks the shared bucket again after a refusal (a 429 and its Retry-After come from it)', async () => {
    const shared = new CountingBuckets();
    const leased = new LeasedTokenBuckets(shared, clock);
    const policy = { capacity: 300, refillPerSecond: 0.0001 };
    const decisions = [];
    for (let i = 0; i < 305; i++) decisions.push(await leased.take('k', policy));
    const calls = shared.calls;
    const again = await leased.take('k', policy);
    expect(again).toMatchObject({ allowed: false, retryAfterSeconds: 5 });
    expect(shared.calls).toBe(calls + 1);
    expect(decisions.filter((d) => d.allowed)).toHaveLength(300);
  });

  it('passes a shared bucket failure on (the limiter fails open) and starts afresh after it', async () => {
    const shared = new CountingBuckets();
    const leased = new LeasedTokenBuckets(shared, clock);
    shared.fail = true;
    await expect(leased.take('k', big)).rejects.toThrow('redis down');
    shared.fail = false;
    await expect(leased.take('k', big)).resolves.toMatchObject({ allowed: true, remaining: big.capacity - 1 });
  });

  it("puts a lease's unused tokens back with the next take: a key with gaps between requests gets its whole bucket", async () => {
    const shared = new CountingBuckets();
    const leased = new LeasedTokenBuckets(shared, clock);
    const policy = { capacity: 1000, refillPerSecond: 0.0001 };
    for (const gapMs of [20, 60, 200]) {
      const key = `k${gapMs}`;
      let allowed = 0;
      for (let i = 0; i < 1200; i++) {
        if ((await leased.take(key, policy)).allowed) allowed++;
        now += gapMs;
      }
      expect(allowed).toBe(1000);
    }
  });

  it('sends the concurrent takes of a one-token bucket to the shared bucket at once (no queue behind each other)', async () => {
    const shared = new CountingBuckets();
    const leased = new LeasedTokenBuckets(shared, clock);
    const policy = { capacity: 100, refillPerSecond: 0.0001 };
    const burst = await Promise.all(Array.from({ length: 10 }, () => leased.take('k', policy)));
    expect(burst.every((d) => d.allowed)).toBe(true);
    expect(shared.maxInFlight).toBe(10);
  });

  it('fails the requests waiting for a lease with it, without each trying the shared bucket again', async () => {
    const shared = new CountingBuckets();
    const leased = new LeasedTokenBuckets(shared, clock);
    for (let i = 0; i < 8; i++) await leased.take('k', big); // the next take asks for a lease
    now += LEASE_LIFETIME_MS;
    shared.fail = true;
    shared.calls = 0;
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => leased.take('k', big)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    // The first request's take (a one-token lease goes to Redis directly) and one lease the nine others waited for.
    expect(shared.calls).toBeLessThanOrEqual(2);
  });
});
