import { MediaSource } from '../input/media-source';
import type { MediaInfo } from '../media-info';
import { type FrameScan, judgeFrameScan, scanFrames } from './frame-scan';
import { DEFAULT_MEDIA_LIMITS } from './media-limits';

const media = { width: 64, height: 64, duration_s: 2 } as MediaInfo;
const scan = (sizes: Record<string, number>, packets = 50, oversizedFrame = false): FrameScan => ({
  packets,
  keyFrameSizes: new Map(Object.entries(sizes)),
  oversizedFrame,
});
const codeOf = (s: FrameScan) => judgeFrameScan(s, media, DEFAULT_MEDIA_LIMITS)?.code ?? 'OK';

describe('judgeFrameScan: limits on what is decoded, not on the header', () => {
  it('accepts key frames all of the header size, at a sane frame count', () => {
    expect(codeOf(scan({ '64x64': 2 }, 480))).toBe('OK');
  });

  it('RESOLUTION_TOO_HIGH when a decoder refused a frame over -max_pixels, or a frame is over the sides', () => {
    expect(codeOf(scan({ '64x64': 47 }, 50, true))).toBe('RESOLUTION_TOO_HIGH');
    expect(codeOf(scan({ '64x64': 1, '7681x100': 1 }))).toBe('RESOLUTION_TOO_HIGH');
  });

  it('VARIABLE_RESOLUTION when the picture size changes mid-stream', () => {
    expect(judgeFrameScan(scan({ '64x64': 1, '640x360': 1 }), media, DEFAULT_MEDIA_LIMITS)).toEqual({
      code: 'VARIABLE_RESOLUTION',
      message: 'The picture size changes inside the video (64x64, then 640x360)',
    });
  });

  it('ASPECT_RATIO_TOO_EXTREME for a decoded frame beyond 1:16', () => {
    expect(codeOf(scan({ '64x64': 1, '2x4320': 1 }))).toBe('ASPECT_RATIO_TOO_EXTREME');
  });

  it('TOO_MANY_FRAMES over maxFrameRate per second of duration (at least one second)', () => {
    expect(codeOf(scan({ '64x64': 1 }, 2 * 240 + 1))).toBe('TOO_MANY_FRAMES');
    expect(judgeFrameScan(scan({ '64x64': 1 }, 241), { ...media, duration_s: 0.04 }, DEFAULT_MEDIA_LIMITS)?.code).toBe(
      'TOO_MANY_FRAMES',
    );
    expect(judgeFrameScan(scan({ '64x64': 1 }, 240), { ...media, duration_s: 0.04 }, DEFAULT_MEDIA_LIMITS)).toBeNull();
  });

  it('CORRUPT_MEDIA when no picture decodes at all', () => {
    expect(codeOf(scan({}))).toBe('CORRUPT_MEDIA');
  });
});

describe('scanFrames (real ffprobe)', () => {
  it('rejects when the source cannot be reached, instead of judging an empty scan as damaged media', async () => {
    const unreachable = MediaSource.storageUrl('http://127.0.0.1:9/raw-videos/j/source.mp4', 'http://127.0.0.1:9');
    await expect(scanFrames(unreachable, media, DEFAULT_MEDIA_LIMITS)).rejects.toThrow(/Connection refused/);
  });
});
