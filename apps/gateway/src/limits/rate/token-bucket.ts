import type Redis from 'ioredis';

/** A bucket's size and refill rate. */
export interface BucketPolicy {
  capacity: number;
  refillPerSecond: number;
}

/** The outcome of taking one token. */
export interface BucketDecision {
  allowed: boolean;
  /** Tokens taken: `cost`, plus the extra ones asked for when the bucket had them (0 when refused). */
  granted?: number;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until a refused request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
  policy: BucketPolicy;
}

/**
 * Token bucket, atomic in Redis: refill by elapsed time, take `cost` tokens if there are enough,
 * store, expire the key once it would be full anyway. The clock is Redis's own (TIME), so replicas
 * with skewed clocks still share one bucket consistently. A lowered capacity clamps at once.
 *
 * Kept over rate-limiter-flexible (issue 9): its Redis limiter counts fixed windows, so a client gets up
 * to twice the limit across a window boundary (policy 10 per 2 s, 20 requests in 2.1 s: it allowed all 20,
 * 19 of them within 0.2 s; this bucket 12), and it has no continuous refill for the RateLimit headers;
 * one EVALSHA here took 406–636 µs per call against its 672–843 µs on the local stack.
 *   KEYS[1] bucket; ARGV capacity, refill per second, cost, extra (taken too when there, for a lease),
 *   given back (a lease's unused tokens, put back first, never above the capacity)
 *   → { allowed 0|1, tokens (string: fractional), ms until full, ms until `cost` tokens, tokens granted }
 */
const TOKEN_BUCKET_LUA = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local extra = tonumber(ARGV[4] or '0')
local given_back = tonumber(ARGV[5] or '0')
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
end
if now > ts then
  tokens = tokens + (now - ts) * rate / 1000
  ts = now
end
tokens = tokens + given_back
if tokens > capacity then tokens = capacity end
local allowed = 0
local granted = 0
if tokens >= cost then
  granted = cost + math.max(0, math.min(extra, math.floor(tokens - cost)))
  tokens = tokens - granted
  allowed = 1
end
local ms_to_full = math.ceil((capacity - tokens) * 1000 / rate)
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', ts)
redis.call('PEXPIRE', KEYS[1], ms_to_full + 1000)
local retry_ms = 0
if allowed == 0 then retry_ms = math.ceil((cost - tokens) * 1000 / rate) end
return { allowed, string.format('%.6f', tokens), ms_to_full, retry_ms, granted }
`;

type BucketReply = [number, string, number, number, number];

interface WithTokenBucket {
  tfTokenBucket(
    key: string,
    capacity: number,
    refillPerSecond: number,
    cost: number,
    extra: number,
    givenBack: number,
  ): Promise<BucketReply>;
}

/** Takes tokens from Redis token buckets (EVALSHA of TOKEN_BUCKET_LUA, loaded on first use). */
export class TokenBuckets {
  constructor(private readonly redis: Redis) {
    if (!('tfTokenBucket' in redis)) redis.defineCommand('tfTokenBucket', { numberOfKeys: 1, lua: TOKEN_BUCKET_LUA });
  }

  /**
   * Takes `cost` tokens, and up to `extra` more when the bucket has them, after putting `givenBack` unused
   * ones back (a lease: leased-token-buckets.ts).
   */
  async take(key: string, policy: BucketPolicy, cost = 1, extra = 0, givenBack = 0): Promise<BucketDecision> {
    const [allowed, tokens, msToFull, retryMs, granted] = await (
      this.redis as unknown as WithTokenBucket
    ).tfTokenBucket(key, policy.capacity, policy.refillPerSecond, cost, extra, givenBack);
    return {
      allowed: allowed === 1,
      granted,
      remaining: Math.floor(Number(tokens) + 1e-9),
      resetSeconds: Math.ceil(msToFull / 1000),
      retryAfterSeconds: allowed === 1 ? 0 : Math.max(1, Math.ceil(retryMs / 1000)),
      policy,
    };
  }
}
