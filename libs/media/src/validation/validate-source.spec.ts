import { MediaProbeError } from '../errors';
import type { MediaInfo } from '../media-info';
import { DEFAULT_MEDIA_LIMITS } from './media-limits';
import { validateSource } from './validate-source';

const media: MediaInfo = {
  duration_s: 60,
  width: 1920,
  height: 1080,
  display_width: 1920,
  display_height: 1080,
  rotation: 0,
  fps: 25,
  video_codec: 'h264',
  audio_codec: 'aac',
  has_audio: true,
  bit_rate: 5_000_000,
  format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
};

const codeOf = (verdict: ReturnType<typeof validateSource>) => (verdict.ok ? 'OK' : verdict.rejection.code);

describe('validateSource', () => {
  it('accepts a normal source and hands back its MediaInfo', () => {
    expect(validateSource({ media, bytes: 1000, decodeError: null })).toEqual({ ok: true, media });
    expect(validateSource(media)).toEqual({ ok: true, media });
  });

  it('has the documented defaults: 4 h, 10 GiB, 8K', () => {
    expect(DEFAULT_MEDIA_LIMITS).toEqual({
      maxDurationS: 14400,
      maxBytes: 10 * 1024 ** 3,
      maxLongSide: 7680,
      maxShortSide: 4320,
      maxAspectRatio: 16,
      maxFrameRate: 240,
    });
  });

  it('turns probe errors into their rejection', () => {
    expect(codeOf(validateSource(new MediaProbeError('NOT_MEDIA', 'x')))).toBe('NOT_MEDIA');
    expect(codeOf(validateSource(new MediaProbeError('CORRUPT_MEDIA', 'x')))).toBe('CORRUPT_MEDIA');
    expect(codeOf(validateSource(new MediaProbeError('NO_VIDEO_STREAM', 'x')))).toBe('NO_VIDEO_STREAM');
  });

  it('rethrows errors that say nothing about the media', () => {
    const outage = new Error('spawn ffprobe ENOENT');
    expect(() => validateSource(outage)).toThrow(outage);
  });

  it('rejects each limit with its own code', () => {
    expect(codeOf(validateSource({ media: { ...media, duration_s: 0 } }))).toBe('ZERO_DURATION');
    expect(codeOf(validateSource({ media: { ...media, duration_s: 4 * 3600 + 1 } }))).toBe('DURATION_TOO_LONG');
    expect(codeOf(validateSource({ media, bytes: 10 * 1024 ** 3 + 1 }))).toBe('FILE_TOO_LARGE');
    expect(codeOf(validateSource({ media: { ...media, display_width: 7681, display_height: 4320 } }))).toBe(
      'RESOLUTION_TOO_HIGH',
    );
    expect(codeOf(validateSource({ media, decodeError: 'partial file' }))).toBe('CORRUPT_MEDIA');
  });

  it('ASPECT_RATIO_TOO_EXTREME beyond 1:16 either way; 1:16 itself passes', () => {
    expect(codeOf(validateSource({ ...media, width: 2, height: 4320, display_width: 2, display_height: 4320 }))).toBe(
      'ASPECT_RATIO_TOO_EXTREME',
    );
    expect(
      codeOf(validateSource({ ...media, width: 4320, height: 200, display_width: 4320, display_height: 200 })),
    ).toBe('ASPECT_RATIO_TOO_EXTREME');
    expect(
      codeOf(validateSource({ ...media, width: 4320, height: 270, display_width: 4320, display_height: 270 })),
    ).toBe('OK');
  });

  it('compares resolution orientation-free: portrait 8K passes, 8K+1 does not', () => {
    const portrait8k = { ...media, display_width: 4320, display_height: 7680 };
    expect(codeOf(validateSource(portrait8k))).toBe('OK');
    expect(codeOf(validateSource({ ...portrait8k, display_width: 4322 }))).toBe('RESOLUTION_TOO_HIGH');
  });

  it('takes overrides for single limits and keeps the other defaults', () => {
    const verdict = validateSource({ media, bytes: 2000 }, { maxBytes: 1000 });
    expect(verdict).toEqual({
      ok: false,
      rejection: { code: 'FILE_TOO_LARGE', message: expect.stringContaining('1000') },
    });
    expect(codeOf(validateSource({ media }, { maxDurationS: 30 }))).toBe('DURATION_TOO_LONG');
    expect(codeOf(validateSource({ media }, { maxDurationS: undefined }))).toBe('OK');
  });
});
