import type { MediaInfo } from '@tf/media';
import { NonRetryableError } from '@tf/messaging';
import { planRenditions } from './rendition-plan';

const media = (width: number, height: number, extra: Partial<MediaInfo> = {}): MediaInfo => ({
  duration_s: 10,
  width,
  height,
  display_width: width,
  display_height: height,
  rotation: 0,
  fps: 25,
  video_codec: 'h264',
  audio_codec: 'aac',
  has_audio: true,
  bit_rate: 2_000_000,
  format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
  ...extra,
});

describe('planRenditions', () => {
  it('encodes the rungs the source can fill and skips the upscales', () => {
    const plan = planRenditions(['360p', '720p', '1080p'], media(1280, 720));
    expect(plan.renditions.map((r) => [r.label, r.width, r.height])).toEqual([
      ['360p', 640, 360],
      ['720p', 1280, 720],
    ]);
    expect(plan.skipped).toEqual([{ label: '1080p', reason: 'UPSCALE_NOT_ALLOWED' }]);
  });

  it('falls back to the nearest rung below the source when every requested rung is above it', () => {
    const plan = planRenditions(['1080p', '2160p'], media(1280, 720));
    expect(plan.renditions.map((r) => r.label)).toEqual(['720p']);
    expect(plan.skipped.map((s) => s.label)).toEqual(['1080p', '2160p']);
  });

  it('caps a fallback to the rung below an in-between source', () => {
    const plan = planRenditions(['720p'], media(1280, 536));
    expect(plan.renditions).toEqual([expect.objectContaining({ label: '480p', width: 1146, height: 480 })]);
  });

  it('falls back for an empty request too', () => {
    expect(planRenditions([], media(1920, 1080)).renditions.map((r) => r.label)).toEqual(['1080p']);
  });

  it('keeps a source below the smallest rung at its own size, with even dimensions', () => {
    const plan = planRenditions(['360p'], media(321, 241, { has_audio: false, audio_codec: null }));
    expect(plan.skipped).toEqual([{ label: '360p', reason: 'UPSCALE_NOT_ALLOWED' }]);
    expect(plan.renditions).toEqual([
      expect.objectContaining({
        label: '240p',
        width: 320,
        height: 240,
        video_bitrate: 800_000,
        audio_bitrate: 0,
        codecs: 'avc1.640015',
      }),
    ]);
  });

  it('plans a portrait phone clip on its display size', () => {
    const plan = planRenditions(
      ['720p'],
      media(1920, 1080, { rotation: 90, display_width: 1080, display_height: 1920 }),
    );
    expect(plan.renditions).toEqual([expect.objectContaining({ label: '720p', width: 720, height: 1280 })]);
  });

  it('refuses an unknown label without retrying', () => {
    expect(() => planRenditions(['4k'], media(1280, 720))).toThrow(NonRetryableError);
    expect(() => planRenditions(['4k'], media(1280, 720))).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_RESOLUTION' }),
    );
  });
});
