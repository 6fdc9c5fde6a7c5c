import type { ObjectStorage } from './object-storage';

/** What the memo needs from storage: a GET URL signed at a given time. */
export type GetPresigner = Pick<ObjectStorage, 'presignGet'>;

export interface ReusablePresignedUrlsOptions {
  /** Every URL handed out works at least this long. */
  expirySeconds: number;
  /** URLs are signed once per window of this many seconds (and live up to this much longer than expirySeconds). */
  windowSeconds: number;
  /** Objects remembered (least recently used forgotten first). */
  maxEntries?: number;
  now?: () => number;
}

/** S3 refuses presigned URLs that live longer than 7 days. */
const MAX_PRESIGN_EXPIRY_S = 7 * 24 * 3600;

/**
 * The window for URLs that must live `expirySeconds`: a tenth of it, at most 5 minutes, so a URL is
 * never handed out with more than 10 % (or 5 min) of extra life; 0 when none fits under S3's 7 days.
 */
export const reuseWindowSeconds = (expirySeconds: number): number =>
  Math.max(0, Math.min(300, Math.floor(expirySeconds / 10), MAX_PRESIGN_EXPIRY_S - expirySeconds));

/**
 * GET URLs of objects, signed once per time window and handed out again within it. The profile of a
 * job status read (bench/README.md, API) showed SigV4 presigning as the largest cost of the read: a
 * job has about a dozen outputs and each signature is six SHA-256/HMAC passes. Here a URL is signed with
 * X-Amz-Date at the start of its window and `expirySeconds + windowSeconds` of life, so whenever it is
 * handed out it still has at least `expirySeconds` to live; the same object read again in the window
 * costs a map lookup, and clients see the same URL (their HTTP caches hit).
 */
export class ReusablePresignedUrls {
  private readonly urls = new Map<string, { windowStart: number; url: Promise<string> }>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly storage: GetPresigner,
    private readonly options: ReusablePresignedUrlsOptions,
  ) {
    if (options.windowSeconds <= 0) throw new Error('windowSeconds must be positive');
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.urls.size;
  }

  /**
   * Until when (ms since the epoch) a URL this memo hands out at `now` may be handed out again and still live
   * `expirySeconds`: the end of the current window (what a memo of a whole answer made of these URLs may keep).
   */
  reusableUntil(now = this.now()): number {
    const windowMs = this.options.windowSeconds * 1000;
    return (Math.floor(now / windowMs) + 1) * windowMs;
  }

  /** A GET URL of the object that works for at least `expirySeconds` from now. */
  get(bucket: string, key: string): Promise<string> {
    const windowMs = this.options.windowSeconds * 1000;
    const windowStart = Math.floor(this.now() / windowMs) * windowMs;
    const id = `${bucket}/${key}`;
    const known = this.urls.get(id);
    this.urls.delete(id);
    if (known && known.windowStart === windowStart) {
      this.urls.set(id, known); // most recently used last
      return known.url;
    }
    const url = this.storage.presignGet(
      bucket,
      key,
      this.options.expirySeconds + this.options.windowSeconds,
      new Date(windowStart),
    );
    // A failed signature is not remembered: the next read signs again.
    url.catch(() => {
      if (this.urls.get(id)?.url === url) this.urls.delete(id);
    });
    this.urls.set(id, { windowStart, url });
    if (this.urls.size > this.maxEntries) this.urls.delete(this.urls.keys().next().value!);
    return url;
  }
}
