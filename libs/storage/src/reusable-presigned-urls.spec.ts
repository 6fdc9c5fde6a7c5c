import { Client } from 'minio';
import { ObjectStorage } from './object-storage';
import { ReusablePresignedUrls, reuseWindowSeconds } from './reusable-presigned-urls';

/** A real minio client (region given: presigning then needs no network), signing with a fake clock. */
const storage = new ObjectStorage(
  new Client({
    endPoint: '127.0.0.1',
    port: 9000,
    useSSL: false,
    accessKey: 'test',
    secretKey: 'test-secret',
    region: 'us-east-1',
  }),
);

/** When a presigned URL stops working, in ms since the epoch (X-Amz-Date + X-Amz-Expires). */
function expiresAt(url: string): number {
  const q = new URL(url).searchParams;
  const d = q.get('X-Amz-Date')!; // 20261205T201300Z
  const signedAt = Date.UTC(
    +d.slice(0, 4),
    +d.slice(4, 6) - 1,
    +d.slice(6, 8),
    +d.slice(9, 11),
    +d.slice(11, 13),
    +d.slice(13, 15),
  );
  return signedAt + Number(q.get('X-Amz-Expires')) * 1000;
}

describe('ReusablePresignedUrls', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = Date.UTC(2026, 11, 5, 20, 13, 7)));
  afterEach(() => jest.restoreAllMocks());

  it('hands out the same URL within a window, and it lives at least expirySeconds from every moment it is handed out', async () => {
    const sign = jest.spyOn(storage, 'presignGet');
    const urls = new ReusablePresignedUrls(storage, { expirySeconds: 3600, windowSeconds: 300, now: clock });
    const first = await urls.get('outputs', 'job/720p.mp4');
    now += 100_000; // 20:14:47, still the window that began at 20:10:00
    const again = await urls.get('outputs', 'job/720p.mp4');
    expect(again).toBe(first);
    expect(sign).toHaveBeenCalledTimes(1);
    expect(expiresAt(again)).toBeGreaterThanOrEqual(now + 3600_000);
    expect(new URL(first).searchParams.get('X-Amz-Date')).toBe('20261205T201000Z');
    // Until the window's end (20:15:00) the URL may be handed out again and still live expirySeconds.
    expect(urls.reusableUntil()).toBe(Date.UTC(2026, 11, 5, 20, 15, 0));
    expect(expiresAt(first) - urls.reusableUntil()).toBeGreaterThanOrEqual(3600_000);

    now += 60_000; // 20:15:47, the next window: signed anew
    const next = await urls.get('outputs', 'job/720p.mp4');
    expect(next).not.toBe(first);
    expect(sign).toHaveBeenCalledTimes(2);
    expect(expiresAt(next)).toBeGreaterThanOrEqual(now + 3600_000);
    expect(expiresAt(next)).toBeLessThanOrEqual(now + 3900_000);
  });

  it('signs each object separately and forgets the least recently used beyond maxEntries', async () => {
    const urls = new ReusablePresignedUrls(storage, { expirySeconds: 60, windowSeconds: 6, maxEntries: 2, now: clock });
    const a = await urls.get('outputs', 'a');
    const b = await urls.get('outputs', 'b');
    expect(a).not.toBe(b);
    expect(new URL(a).pathname).toBe('/outputs/a');
    await urls.get('outputs', 'a'); // a is now the most recently used
    await urls.get('outputs', 'c'); // b goes
    expect(urls.size).toBe(2);
    const sign = jest.spyOn(storage, 'presignGet');
    await urls.get('outputs', 'a');
    expect(sign).not.toHaveBeenCalled();
    await urls.get('outputs', 'b');
    expect(sign).toHaveBeenCalledTimes(1);
  });

  it('does not remember a failed signature', async () => {
    const presignGet = jest.fn().mockRejectedValueOnce(new Error('no credentials')).mockResolvedValue('http://s3/x');
    const urls = new ReusablePresignedUrls({ presignGet }, { expirySeconds: 60, windowSeconds: 6, now: clock });
    await expect(urls.get('outputs', 'x')).rejects.toThrow('no credentials');
    await expect(urls.get('outputs', 'x')).resolves.toBe('http://s3/x');
    expect(presignGet).toHaveBeenCalledTimes(2);
  });

  it('reuseWindowSeconds: a tenth of the expiry, at most 5 minutes, never past S3 7 days', () => {
    expect(reuseWindowSeconds(3600)).toBe(300);
    expect(reuseWindowSeconds(60)).toBe(6);
    expect(reuseWindowSeconds(5)).toBe(0);
    expect(reuseWindowSeconds(7 * 24 * 3600)).toBe(0);
    expect(reuseWindowSeconds(7 * 24 * 3600 - 100)).toBe(100);
  });
});
