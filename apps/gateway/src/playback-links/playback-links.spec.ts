import { PlaybackLinks } from './playback-links';
import { playbackConfig } from './playback.config';
import { verifyPlaybackToken } from './playback-token';

const SECRET = 'Vq3x_8LrT0bZk-2NwYc5Hs7Jd9Fg1Ma4Pe6Ru0Xi2O';
const JOB = '3cdea86c-4496-41cd-b01b-7329526405b6';
const links = new PlaybackLinks(
  playbackConfig({ TF_PLAYBACK_SECRET: SECRET, TF_PUBLIC_URL: 'http://127.0.0.1:18080', TF_PLAYBACK_TTL_S: '600' }),
);
const packaged = { id: JOB, spec: { enable_hls: true }, packaged: { master: {} } };
const now = new Date('2026-01-01T00:00:00.750Z');

describe('PlaybackLinks', () => {
  it('grants a packaged HLS job a master URL on TF_PUBLIC_URL whose token verifies at least TF_PLAYBACK_TTL_S from now', () => {
    const grant = links.grantFor(packaged, now)!;
    // TTL 600 s: 60 s windows; the window of 00:00:00.750 ends at 00:01:00, + 600 s.
    expect(grant.expires_at).toBe('2026-01-01T00:11:00.000Z');
    const match = new RegExp(
      `^http://127\\.0\\.0\\.1:18080/playback/${JOB}/(\\d+\\.[A-Za-z0-9_-]{43})/master\\.m3u8$`,
    ).exec(grant.url);
    expect(match).not.toBeNull();
    const token = match![1];
    expect(verifyPlaybackToken(SECRET, JOB, token, now)).toEqual({ ok: true, expiresAt: new Date(grant.expires_at) });
    expect(links.verify(JOB, token, new Date(grant.expires_at))).toEqual({ ok: false, reason: 'expired' });
  });

  it('hands out the same URL on every read within a time window (the player keeps its source), a new one after it', () => {
    const first = links.grantFor(packaged, now)!;
    const later = new Date('2026-01-01T00:00:59.999Z');
    expect(links.grantFor(packaged, later)).toEqual(first);
    const next = links.grantFor(packaged, new Date('2026-01-01T00:01:00.000Z'))!;
    expect(next.url).not.toBe(first.url);
    expect(next.expires_at).toBe('2026-01-01T00:12:00.000Z');
    // Handed out at the window's last moment, the first URL still has the whole TTL to live.
    expect(Date.parse(first.expires_at) - later.getTime()).toBeGreaterThanOrEqual(600_000);
  });

  it('grants nothing while the job has no HLS stream: not asked for, or not packaged yet', () => {
    expect(links.grantFor({ ...packaged, spec: { enable_hls: false } }, now)).toBeNull();
    expect(links.grantFor({ ...packaged, packaged: null }, now)).toBeNull();
  });

  it('describes a token as the URL it opens, with its expiry', () => {
    const grant = links.grantFor(packaged, now)!;
    const token = grant.url.split('/').slice(-2)[0];
    expect(links.grant(JOB, token, new Date(grant.expires_at))).toEqual(grant);
  });
});
