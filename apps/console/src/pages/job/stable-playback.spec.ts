import { KEEP_PLAYBACK_MS, stablePlayback } from './stable-playback';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const link = (token: string, expiresInMs: number) => ({
  url: `http://127.0.0.1:18080/api/v1/playback/j1/master.m3u8?token=${token}`,
  expires_at: new Date(NOW + expiresInMs).toISOString(),
});
const job = (job_id: string, playback: ReturnType<typeof link> | null, status = 'processing', outputs = 3) => ({
  job_id,
  playback,
  status,
  outputs: Array.from({ length: outputs }),
});

describe('stablePlayback', () => {
  it('keeps the current link on a re-read of the same job while it has more than a few minutes left', () => {
    const current = link('old', 60 * 60_000);
    expect(stablePlayback(job('j1', current), job('j1', link('new', 60 * 60_000 + 1000)), NOW)).toBe(current);
  });

  it('takes the fresh link when the current one is about to expire', () => {
    const fresh = link('new', 60 * 60_000);
    expect(stablePlayback(job('j1', link('old', KEEP_PLAYBACK_MS - 1)), job('j1', fresh), NOW)).toBe(fresh);
  });

  it("never keeps another job's link, and takes the first link a job gets", () => {
    const fresh = link('new', 60 * 60_000);
    expect(stablePlayback(job('j0', link('old', 60 * 60_000)), job('j1', fresh), NOW)).toBe(fresh);
    expect(stablePlayback(job('j1', null), job('j1', fresh), NOW)).toBe(fresh);
    expect(stablePlayback(null, job('j1', fresh), NOW)).toBe(fresh);
    expect(stablePlayback(job('j1', link('old', 60 * 60_000)), job('j1', null), NOW)).toBeNull();
  });

  it('takes the fresh link when the job moved on (the master playlist gains its subtitles with the transcript)', () => {
    const fresh = link('new', 60 * 60_000);
    const current = link('old', 60 * 60_000);
    expect(stablePlayback(job('j1', current), job('j1', fresh, 'completed'), NOW)).toBe(fresh);
    expect(stablePlayback(job('j1', current), job('j1', fresh, 'processing', 7), NOW)).toBe(fresh);
  });
});
