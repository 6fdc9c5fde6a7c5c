import { signPlaybackToken, verifyPlaybackToken } from './playback-token';

const JOB = '3cdea86c-4496-41cd-b01b-7329526405b6';
const OTHER = 'b47ef3a7-776e-41a6-8b75-9bbf81b611b8';
const now = new Date('2026-01-01T00:00:00Z');
const inAnHour = new Date(now.getTime() + 3600_000);

describe('playback tokens', () => {
  const token = signPlaybackToken('s3cret', JOB, inAnHour);

  it('is "{unix expiry}.{43 base64url chars}" and verifies for its job until it expires', () => {
    expect(token).toMatch(/^\d+\.[A-Za-z0-9_-]{43}$/);
    expect(token.split('.')[0]).toBe(String(inAnHour.getTime() / 1000));
    expect(verifyPlaybackToken('s3cret', JOB, token, now)).toEqual({ ok: true, expiresAt: inAnHour });
  });

  it('is expired at its expiry', () => {
    expect(verifyPlaybackToken('s3cret', JOB, token, inAnHour)).toEqual({ ok: false, reason: 'expired' });
  });

  it('is invalid for another job, another secret, a changed expiry or signature, or garbage', () => {
    expect(verifyPlaybackToken('s3cret', OTHER, token, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyPlaybackToken('other', JOB, token, now)).toEqual({ ok: false, reason: 'invalid' });
    const [exp, sig] = token.split('.');
    expect(verifyPlaybackToken('s3cret', JOB, `${Number(exp) + 3600}.${sig}`, now)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    // An expired token with a forged later expiry is invalid, not expired.
    expect(
      verifyPlaybackToken('s3cret', JOB, `${Number(exp) + 3600}.${sig}`, new Date(inAnHour.getTime() + 1000)),
    ).toEqual({ ok: false, reason: 'invalid' });
    const flipped = `${exp}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expect(verifyPlaybackToken('s3cret', JOB, flipped, now)).toEqual({ ok: false, reason: 'invalid' });
    for (const bad of ['', 'x', `${exp}.`, `.${sig}`, `${exp}.${sig}x`, `-1.${sig}`])
      expect(verifyPlaybackToken('s3cret', JOB, bad, now)).toEqual({ ok: false, reason: 'invalid' });
  });
});
