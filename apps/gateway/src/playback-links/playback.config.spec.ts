import { playbackConfig } from './playback.config';

const SECRET = 'Vq3x_8LrT0bZk-2NwYc5Hs7Jd9Fg1Ma4Pe6Ru0Xi2O';
const PRODUCTION = { TF_ENV: 'production', TF_PLAYBACK_SECRET: SECRET, TF_PUBLIC_URL: 'https://video.example.com/' };

describe('playbackConfig', () => {
  it("builds playback URLs on TF_PUBLIC_URL (no trailing slash), locally on the console's origin or this gateway's own port", () => {
    expect(playbackConfig({ TF_PLAYBACK_SECRET: SECRET }).publicBaseUrl).toBe('http://127.0.0.1:18080');
    expect(playbackConfig({ TF_PLAYBACK_SECRET: SECRET, TF_CONSOLE_PORT: '18090' }).publicBaseUrl).toBe(
      'http://127.0.0.1:18090',
    );
    expect(playbackConfig({ TF_PLAYBACK_SECRET: SECRET, TF_CONSOLE_PORT: '0' }).publicBaseUrl).toBe(
      'http://127.0.0.1:10080',
    );
    expect(
      playbackConfig({ TF_PLAYBACK_SECRET: SECRET, TF_CONSOLE_PORT: '0', TF_HTTP_PORT: '18081' }).publicBaseUrl,
    ).toBe('http://127.0.0.1:18081');
    expect(playbackConfig(PRODUCTION).publicBaseUrl).toBe('https://video.example.com');
    expect(playbackConfig({ ...PRODUCTION, TF_PUBLIC_URL: 'https://cdn.example.com/tf/' }).publicBaseUrl).toBe(
      'https://cdn.example.com/tf',
    );
  });

  it.each(['video.example.com', 'ftp://x.example.com', 'https://x.example.com/?a=1', 'https://u:p@x.example.com'])(
    'refuses TF_PUBLIC_URL=%p, naming it',
    (url) => {
      expect(() => playbackConfig({ TF_PLAYBACK_SECRET: SECRET, TF_PUBLIC_URL: url })).toThrow(
        /^TF_PUBLIC_URL must be/,
      );
    },
  );

  it('reads TF_HTTP_PORT through readEnv: a port that is not a whole number is refused, not turned into NaN', () => {
    expect(() => playbackConfig({ TF_PLAYBACK_SECRET: SECRET, TF_CONSOLE_PORT: '0', TF_HTTP_PORT: 'abc' })).toThrow(
      /TF_HTTP_PORT must be an integer number/,
    );
  });

  it('in production, refuses to start without TF_PUBLIC_URL or TF_PLAYBACK_SECRET, or with a short or example secret', () => {
    expect(() => playbackConfig({ ...PRODUCTION, TF_PUBLIC_URL: '' })).toThrow(
      /^TF_PUBLIC_URL is required when TF_ENV=production/,
    );
    expect(() => playbackConfig({ ...PRODUCTION, TF_PLAYBACK_SECRET: undefined })).toThrow(
      /^TF_PLAYBACK_SECRET is required when TF_ENV=production/,
    );
    expect(() => playbackConfig({ ...PRODUCTION, TF_PLAYBACK_SECRET: 'x'.repeat(20) })).toThrow(
      /^TF_PLAYBACK_SECRET is too short/,
    );
    expect(() => playbackConfig({ ...PRODUCTION, TF_PLAYBACK_SECRET: 'tfpb_local_development_secret' })).toThrow(
      /^TF_PLAYBACK_SECRET is a published example value/,
    );
    expect(playbackConfig(PRODUCTION)).toMatchObject({ secret: SECRET, secretGenerated: false, ttlSeconds: 3600 });
  });

  it('outside production, signs with a random key of this process when TF_PLAYBACK_SECRET is unset (never the old public default)', () => {
    const c = playbackConfig({});
    expect(c.secretGenerated).toBe(true);
    expect(c.secret).not.toBe('tfpb_local_development_secret');
    expect(c.secret).not.toBe(playbackConfig({}).secret);
  });
});
