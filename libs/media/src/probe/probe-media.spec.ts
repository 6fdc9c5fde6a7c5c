import { join } from 'node:path';
import { makeClip, makeRotatedCopy, makeTempDir, removeDir } from '../testing/lavfi-fixtures';
import { probeMedia } from './probe-media';

jest.setTimeout(60_000);

describe('probeMedia (real ffprobe)', () => {
  let dir: string;
  let clip: string;

  beforeAll(async () => {
    dir = await makeTempDir();
    clip = await makeClip(join(dir, 'clip.mp4'), { width: 320, height: 240, durationS: 2, fps: 25 });
  });
  afterAll(() => removeDir(dir));

  it('reads every MediaInfo field', async () => {
    const info = await probeMedia(clip);
    expect(info).toEqual({
      duration_s: expect.any(Number),
      width: 320,
      height: 240,
      display_width: 320,
      display_height: 240,
      rotation: 0,
      fps: 25,
      video_codec: 'h264',
      audio_codec: 'aac',
      has_audio: true,
      bit_rate: expect.any(Number),
      format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
    });
    expect(info.duration_s).toBeCloseTo(2, 1);
    expect(info.bit_rate).toBeGreaterThan(0);
  });

  it('reads the display matrix of a rotated clip and swaps the display size', async () => {
    const rotated = await makeRotatedCopy(clip, join(dir, 'rotated.mp4'));
    const info = await probeMedia(rotated);
    expect(info).toMatchObject({ width: 320, height: 240, rotation: 90, display_width: 240, display_height: 320 });
  });

  it('reports a silent clip', async () => {
    const silent = await makeClip(join(dir, 'silent.mp4'), { width: 160, height: 120, durationS: 1, audio: false });
    expect(await probeMedia(silent)).toMatchObject({ has_audio: false, audio_codec: null });
  });

  it('rejects with a plain (retryable) error when the file is missing', async () => {
    const error = await probeMedia(join(dir, 'missing.mp4')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).not.toBe('MediaProbeError');
  });
});
