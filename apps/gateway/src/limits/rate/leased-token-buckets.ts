import type { BucketDecision, BucketPolicy } from './token-bucket';

/** What a lease is taken from: the shared buckets (TokenBuckets, in Redis). */
export interface SharedTokenBuckets {
  /** Puts `giveBack` unused tokens back (up to the capacity), then takes `cost`, plus up to `extra` when there. */
  take(key: string, policy: BucketPolicy, cost: number, extra: number, giveBack: number): Promise<BucketDecision>;
}

/** How long leased tokens may be handed out here; what is left then goes back with the key's next take. */
export const LEASE_LIFETIME_MS = 100;
/** The largest lease, as a share of the bucket's capacity: what one replica may hold that the others cannot use. */
const LEASE_MAX_SHARE = 0.01;
/** A key quiet for this long starts again with leases of one token (the exact, one-round-trip behaviour). */
const LEASE_MEMORY_MS = 1000;

interface Lease {
  /** Tokens taken from the shared bucket and not handed out yet. */
  left: number;
  granted: number;
  takenAt: number;
  /** The shared bucket as the lease found it (after the lease was taken from it). */
  bucket?: BucketDecision;
  /** A lease of more than one token being taken: concurrent requests of the key wait for it. */
  pending?: Promise<void>;
}

/**
 * Token buckets shared through Redis, with one round trip per lease instead of one per request for
 * a busy key. A key whose last lease ran out within a second gets the next one doubled (else the size
 * it used), at most 1 % of the capacity: a Redis take of `cost` plus the extra tokens, handed out
 * locally for up to 100 ms. Nothing is ever handed out twice: leased tokens left the shared bucket, so
 * a key never gets more than its policy allows across replicas; what a lease did not hand out goes back
 * to the bucket with the key's next take (until then, at most 1 % of the capacity per replica is held
 * back). A one-token lease (a quiet key, and every take of a bucket under 200 tokens, the default being
 * 100) is a plain take: concurrent requests go to Redis at once, as before leases existed. The
 * RateLimit headers count the lease's unused tokens as remaining.
 */
export class LeasedTokenBuckets {
  private readonly leases = new Map<string, Lease>();
  private lastSweep = 0;

  constructor(
    private readonly shared: SharedTokenBuckets,
    private readonly now: () => number = Date.now,
  ) {}

  async take(key: string, policy: BucketPolicy, cost = 1): Promise<BucketDecision> {
    for (;;) {
      const lease = this.leases.get(key);
      if (lease?.pending) {
        // A failed lease fails its waiters too (the limiter then fails open), rather than each trying again.
        await lease.pending;
        continue;
      }
      if (lease?.bucket && lease.left >= cost && this.now() - lease.takenAt < LEASE_LIFETIME_MS) {
        lease.left -= cost;
        return this.fromLease(lease.bucket, lease, policy);
      }
      return this.renew(key, policy, cost, lease);
    }
  }

  private async renew(key: string, policy: BucketPolicy, cost: number, previous?: Lease): Promise<BucketDecision> {
    const extra = Math.max(0, this.leaseSize(policy, previous) - cost);
    const giveBack = previous?.left ?? 0;
    if (previous) previous.left = 0;
    this.sweepQuietKeys();
    if (extra === 0) {
      const bucket = await this.shared.take(key, policy, cost, 0, giveBack);
      this.leases.set(key, { left: 0, granted: bucket.allowed ? cost : 0, takenAt: this.now() });
      return bucket;
    }
    let settle!: (error?: unknown) => void;
    const pending = new Promise<void>((resolve, reject) => (settle = (e) => (e ? reject(e) : resolve())));
    pending.catch(() => undefined); // its waiters see the failure; no waiter is no unhandled rejection
    this.leases.set(key, { left: 0, granted: 0, takenAt: this.now(), pending });
    try {
      const bucket = await this.shared.take(key, policy, cost, extra, giveBack);
      const granted = bucket.allowed ? (bucket.granted ?? cost) : 0;
      const lease: Lease = { left: Math.max(0, granted - cost), granted, takenAt: this.now(), bucket };
      this.leases.set(key, lease);
      settle();
      // A refusal is the shared bucket's answer as it is (its Retry-After included).
      return bucket.allowed ? this.fromLease(bucket, lease, policy) : bucket;
    } catch (error) {
      this.leases.delete(key);
      settle(error);
      throw error;
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

  /** Past 1000 keys, forgets the quiet ones, at most once a second (the map stays bounded and cheap). */
  private sweepQuietKeys(): void {
    const now = this.now();
    if (this.leases.size <= 1000 || now - this.lastSweep < LEASE_MEMORY_MS) return;
    this.lastSweep = now;
    for (const [key, lease] of this.leases)
      if (!lease.pending && lease.left === 0 && now - lease.takenAt > LEASE_MEMORY_MS) this.leases.delete(key);
  }

  /** An allowed take served by `lease`, which found the shared bucket as `bucket` says. */
  private fromLease(bucket: BucketDecision, lease: Lease, policy: BucketPolicy): BucketDecision {
    const elapsedMs = this.now() - lease.takenAt;
    return {
      ...bucket,
      allowed: true,
      remaining: bucket.remaining + lease.left,
      resetSeconds: Math.max(0, Math.ceil(bucket.resetSeconds - elapsedMs / 1000)),
      retryAfterSeconds: 0,
      policy,
    };
  }
}
