import type { MediaInfo } from '../media-info';
import { planLadder, scaledSize } from './plan-ladder';

function source(display_width: number, display_height: number, extra: Partial<MediaInfo> = {}): MediaInfo {
  return {
    duration_s: 10,
    width: display_width,
    height: display_height,
    display_width,
    display_height,
    rotation: 0,
    fps: 25,
    video_codec: 'h264',
    audio_codec: 'aac',
    has_audio: true,
    bit_rate: 0,
    format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
    ...extra,
  };
}

const sizes = (plan: ReturnType<typeof planLadder>) => plan.renditions.map((r) => `${r.label}=${r.width}x${r.height}`);

describe('planLadder', () => {
  it('plans a landscape 1080p source', () => {
    const plan = planLadder(['360p', '480p', '720p', '1080p'], source(1920, 1080));
    expect(sizes(plan)).toEqual(['360p=640x360', '480p=854x480', '720p=1280x720', '1080p=1920x1080']);
    expect(plan.skipped).toEqual([]);
    expect(plan.renditions[2]).toEqual({
      label: '720p',
      width: 1280,
      height: 720,
      video_bitrate: 2_800_000,
      audio_bitrate: 128_000,
      codecs: 'avc1.64001f,mp4a.40.2',
      h264_level: 31,
    });
  });

  it('never upscales: a 640x360 source asked for 360p,720p gets 360p and skips 720p', () => {
    const plan = planLadder('360p,720p', source(640, 360));
    expect(sizes(plan)).toEqual(['360p=640x360']);
    expect(plan.skipped).toEqual([{ label: '720p', reason: 'UPSCALE_NOT_ALLOWED' }]);
  });

  it('treats the label as the short side for portrait sources', () => {
    const plan = planLadder('720p,1080p,1440p', source(1080, 1920));
    expect(sizes(plan)).toEqual(['720p=720x1280', '1080p=1080x1920']);
    expect(plan.skipped).toEqual([{ label: '1440p', reason: 'UPSCALE_NOT_ALLOWED' }]);
  });

  it('uses the display size, so a rotated phone clip is planned as portrait', () => {
    const rotated = source(1080, 1920, { width: 1920, height: 1080, rotation: 90 });
    expect(sizes(planLadder('360p', rotated))).toEqual(['360p=360x640']);
  });

  it('keeps odd aspect ratios with even dimensions', () => {
    // 2.39:1 scope and 4:3
    expect(sizes(planLadder('720p', source(2048, 858)))).toEqual(['720p=1718x720']);
    expect(sizes(planLadder('480p', source(1440, 1080)))).toEqual(['480p=640x480']);
    for (const r of planLadder('360p,480p,720p', source(1001, 751)).renditions) {
      expect(r.width % 2).toBe(0);
      expect(r.height % 2).toBe(0);
    }
  });

  it('drops the AAC part of CODECS and the audio bit rate without audio', () => {
    const [r] = planLadder('360p', source(640, 360, { has_audio: false, audio_codec: null })).renditions;
    expect(r.audio_bitrate).toBe(0);
    expect(r.codecs).toBe('avc1.64001e');
  });

  it('raises the H.264 level with frame rate', () => {
    expect(planLadder('1080p', source(1920, 1080, { fps: 30 })).renditions[0].codecs).toMatch(/^avc1\.640028/);
    expect(planLadder('1080p', source(1920, 1080, { fps: 60 })).renditions[0].codecs).toMatch(/^avc1\.64002a/);
  });

  it('may plan nothing when everything asked for is above the source', () => {
    expect(planLadder('720p', source(320, 240))).toEqual({
      renditions: [],
      skipped: [{ label: '720p', reason: 'UPSCALE_NOT_ALLOWED' }],
    });
  });

  it('throws on unknown labels', () => {
    expect(() => planLadder('4k', source(3840, 2160))).toThrow(expect.objectContaining({ code: 'UNKNOWN_RESOLUTION' }));
  });
});

describe('scaledSize', () => {
  it('scales by the short side', () => {
    expect(scaledSize(3840, 2160, 360)).toEqual({ width: 640, height: 360 });
    expect(scaledSize(2160, 3840, 360)).toEqual({ width: 360, height: 640 });
    expect(scaledSize(500, 500, 360)).toEqual({ width: 360, height: 360 });
  });
});
