import { Inject, Injectable, Logger } from '@nestjs/common';
import { metricsRegistry } from '@tf/observability';
import { Counter } from 'prom-client';
import type { KeyLimits } from '../key-limits';
import { LIMITS_CONFIG, LimitsConfig } from '../limits.config';
import { GatewayRedis } from './redis';
import { LeasedTokenBuckets } from './leased-token-buckets';
import { BucketDecision, BucketPolicy, TokenBuckets } from './token-bucket';

const decisions = new Counter({
  name: 'tf_rate_limit_decisions_total',
  help: 'Rate limit decisions of /api requests: allowed, limited, or unknown (Redis unavailable: allowed).',
  labelNames: ['subject', 'result'] as const,
  registers: [metricsRegistry],
});

/** Redis keys of the buckets: one per API key, one per client address for requests without a valid key. */
const bucketKey = {
  apiKey: (keyId: string) => `tf:gateway:ratelimit:key:${keyId}`,
  anonymous: (address: string) => `tf:gateway:ratelimit:anon:${address}`,
};

/**
 * Per-key token buckets shared by every replica through Redis. Fails open: with Redis unavailable a
 * request is allowed (and answered without RateLimit headers) rather than the whole API going down.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly buckets: TokenBuckets;
  /** API keys' buckets: leased, so a busy key is not one Redis round trip per request (leased-token-buckets.ts). */
  private readonly keyBuckets: LeasedTokenBuckets;
  private lastWarning = 0;

  constructor(
    redis: GatewayRedis,
    @Inject(LIMITS_CONFIG) private readonly config: LimitsConfig,
  ) {
    this.buckets = new TokenBuckets(redis.client);
    this.keyBuckets = new LeasedTokenBuckets(this.buckets);
  }

  /** The bucket of an API key: its overrides over TF_RATE_LIMIT_CAPACITY / TF_RATE_LIMIT_REFILL_PER_S. */
  policyFor(
    limits: Pick<KeyLimits, 'rate_limit_capacity' | 'rate_limit_refill_per_s'> | null | undefined,
  ): BucketPolicy {
    return {
      capacity: limits?.rate_limit_capacity ?? this.config.rateLimitCapacity,
      refillPerSecond: limits?.rate_limit_refill_per_s ?? this.config.rateLimitRefillPerSecond,
    };
  }

  /** Takes `cost` tokens (a request: one; a GraphQL operation: by its cost, see graphql/operation-limits.ts). */
  forKey(keyId: string, limits: KeyLimits | undefined, cost = 1): Promise<BucketDecision | null> {
    return this.take('key', bucketKey.apiKey(keyId), this.policyFor(limits), cost);
  }

  /**
   * Requests without a valid key (missing, malformed, unknown, revoked) share a bucket per client address;
   * never leased (one Redis take each): those are the callers to hold exactly to their limit.
   */
  forAnonymous(address: string): Promise<BucketDecision | null> {
    return this.take('anonymous', bucketKey.anonymous(address), this.policyFor(null));
  }

  private async take(
    subject: 'key' | 'anonymous',
    key: string,
    policy: BucketPolicy,
    cost = 1,
  ): Promise<BucketDecision | null> {
    try {
      const buckets = subject === 'key' ? this.keyBuckets : this.buckets;
      const decision = await buckets.take(key, policy, cost);
      decisions.inc({ subject, result: decision.allowed ? 'allowed' : 'limited' });
      return decision;
    } catch (e) {
      decisions.inc({ subject, result: 'unknown' });
      if (Date.now() - this.lastWarning > 30_000) {
        this.lastWarning = Date.now();
        this.logger.warn(`rate limit not enforced, Redis unavailable: ${(e as Error)?.message ?? e}`);
      }
      return null;
    }
  }
}
