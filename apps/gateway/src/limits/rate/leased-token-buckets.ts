import type { BucketDecision, BucketPolicy } from './token-bucket';

/** What a lease is taken from: the shared buckets (TokenBuckets, in Redis). */
export interface SharedTokenBuckets {
  take(key: string, policy: BucketPolicy, cost: number, extra: number): Promise<BucketDecision>;
}

/** How long leased tokens may be handed out here; what is left then goes unused (never handed out twice). */
export const LEASE_LIFETIME_MS = 100;
/** The largest lease, as a share of the bucket's capacity: what one replica may hold that the others cannot use. */
const LEASE_MAX_SHARE = 0.01;
/** A key quiet for this long starts again with leases of one token (the exact, one-round-trip behaviour). */
const LEASE_MEMORY_MS = 1000;
/** Past this many keys with a lease, the quiet ones are forgotten (the map stays bounded). */
const SWEEP_ABOVE = 1000;

interface Lease {
  /** Tokens taken from the shared bucket and not yet handed out. */
  left: number;
  granted: number;
  takenAt: number;
  /** The shared bucket as the lease found it (after the lease was taken from it). */
  bucket: BucketDecision;
  /** A lease being taken now: concurrent requests of the key wait for it instead of taking their own. */
  pending?: Promise<void>;
}

/**
 * Token buckets shared through Redis, with one round trip per lease instead of one per request for
 * a busy key. A key taking tokens faster than one per round trip here gets them in leases: a Redis
 * take of `cost` plus extra tokens (as many as this replica handed out for the key during the last
 * lease, doubled while leases run out, at most 1 % of the capacity), handed out locally for up to
 * 100 ms. Nothing is ever handed out twice: leased tokens left from the shared bucket, so a key never
 * gets more than its policy allows across replicas. What it can cost a key is what a replica leased
 * and did not hand out (at most 1 % of its capacity per replica and lease); for a bucket of fewer than
 * 200 tokens (the default is 100) a lease is always one token, i.e. every request goes to Redis as
 * before. The RateLimit headers of a leased token count the unused lease as remaining.
 */
export class LeasedTokenBuckets {
  private readonly leases = new Map<string, Lease>();

  constructor(
    private readonly shared: SharedTokenBuckets,
    private readonly now: () => number = Date.now,
  ) {}

  async take(key: string, policy: BucketPolicy, cost = 1): Promise<BucketDecision> {
    for (;;) {
      const lease = this.leases.get(key);
      if (lease?.pending) {
        await lease.pending;
        continue;
      }
      if (lease && lease.left >= cost && this.now() - lease.takenAt < LEASE_LIFETIME_MS) {
        lease.left -= cost;
        return this.fromLease(lease, policy);
      }
      return this.renew(key, policy, cost, lease);
    }
  }

  private async renew(key: string, policy: BucketPolicy, cost: number, previous?: Lease): Promise<BucketDecision> {
    const extra = Math.max(0, this.leaseSize(policy, previous) - cost);
    let settle!: () => void;
    const pending = new Promise<void>((resolve) => (settle = resolve));
    const placeholder = previous ?? ({ left: 0, granted: 0, takenAt: 0 } as Lease);
    placeholder.pending = pending;
    if (this.leases.size > SWEEP_ABOVE) this.forgetQuietKeys();
    this.leases.set(key, placeholder);
    try {
      const bucket = await this.shared.take(key, policy, cost, extra);
      const granted = bucket.allowed ? (bucket.granted ?? cost) : 0;
      this.leases.set(key, { left: granted - cost > 0 ? granted - cost : 0, granted, takenAt: this.now(), bucket });
      return { ...bucket, remaining: bucket.remaining + Math.max(0, granted - cost) };
    } catch (error) {
      this.leases.delete(key);
      throw error;
    } finally {
      settle();
    }
  }

  /** One token for a quiet key; for a busy one, what it used of its last lease, doubled when it ran out. */
  private leaseSize(policy: BucketPolicy, previous?: Lease): number {
    const max = Math.max(1, Math.floor(policy.capacity * LEASE_MAX_SHARE));
    if (!previous || previous.granted === 0 || this.now() - previous.takenAt > LEASE_MEMORY_MS) return 1;
    const used = previous.granted - previous.left;
    const size = previous.left === 0 ? previous.granted * 2 : used;
    return Math.min(max, Math.max(1, size));
  }

  private forgetQuietKeys(): void {
    const now = this.now();
    for (const [key, lease] of this.leases)
      if (!lease.pending && now - lease.takenAt > LEASE_MEMORY_MS) this.leases.delete(key);
  }

  private fromLease(lease: Lease, policy: BucketPolicy): BucketDecision {
    const elapsedMs = this.now() - lease.takenAt;
    return {
      allowed: true,
      granted: 0,
      remaining: lease.bucket.remaining + lease.left,
      resetSeconds: Math.max(0, Math.ceil(lease.bucket.resetSeconds - elapsedMs / 1000)),
      retryAfterSeconds: 0,
      policy,
    };
  }
}
