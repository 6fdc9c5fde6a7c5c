import type { FfprobeData } from 'fluent-ffmpeg';
import { MediaProbeError } from '../errors';
import { mediaInfoFromFfprobe, parseFrameRate } from './media-info-from-ffprobe';

function probeData(streams: Record<string, unknown>[], format: Record<string, unknown> = {}): FfprobeData {
  return { streams, format, chapters: [] } as unknown as FfprobeData;
}

const h264 = {
  index: 0,
  codec_type: 'video',
  codec_name: 'h264',
  width: 1920,
  height: 1080,
  avg_frame_rate: '30000/1001',
};
const aac = { index: 1, codec_type: 'audio', codec_name: 'aac' };

describe('mediaInfoFromFfprobe', () => {
  it('maps every MediaInfo field', () => {
    const info = mediaInfoFromFfprobe(
      probeData([h264, aac], { duration: 12.5, bit_rate: 4000000, format_name: 'mov,mp4,m4a,3gp,3g2,mj2' }),
    );
    expect(info).toEqual({
      duration_s: 12.5,
      width: 1920,
      height: 1080,
      display_width: 1920,
      display_height: 1080,
      rotation: 0,
      fps: 30000 / 1001,
      video_codec: 'h264',
      audio_codec: 'aac',
      has_audio: true,
      bit_rate: 4000000,
      format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
    });
  });

  it('swaps the display size for a quarter turn', () => {
    const info = mediaInfoFromFfprobe(probeData([{ ...h264, rotation: '-90' }], { duration: 1 }));
    expect(info).toMatchObject({ width: 1920, height: 1080, rotation: 90, display_width: 1080, display_height: 1920 });
  });

  it('reports no audio as null / false', () => {
    const info = mediaInfoFromFfprobe(probeData([h264], { duration: 1 }));
    expect(info.audio_codec).toBeNull();
    expect(info.has_audio).toBe(false);
  });

  it('turns ffprobe "N/A" into 0 and falls back to the stream duration', () => {
    const info = mediaInfoFromFfprobe(probeData([{ ...h264, duration: '3.2' }], { duration: 'N/A', bit_rate: 'N/A' }));
    expect(info.duration_s).toBe(3.2);
    expect(info.bit_rate).toBe(0);
  });

  it('does not take cover art for a video stream', () => {
    const coverArt = {
      index: 1,
      codec_type: 'video',
      codec_name: 'mjpeg',
      width: 500,
      height: 500,
      disposition: { attached_pic: 1 },
    };
    expect(() => mediaInfoFromFfprobe(probeData([aac, coverArt], { duration: 100 }))).toThrow(
      expect.objectContaining({ code: 'NO_VIDEO_STREAM' }),
    );
    expect(() => mediaInfoFromFfprobe(probeData([aac]))).toThrow(MediaProbeError);
  });
});

describe('parseFrameRate', () => {
  it('parses fractions and rejects unknown rates', () => {
    expect(parseFrameRate('25/1')).toBe(25);
    expect(parseFrameRate('24000/1001')).toBeCloseTo(23.976, 3);
    expect(parseFrameRate('0/0')).toBe(0);
    expect(parseFrameRate(undefined)).toBe(0);
    expect(parseFrameRate(50)).toBe(50);
  });
});
