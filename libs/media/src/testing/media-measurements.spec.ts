import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildHlsRemuxArgs } from '../hls/hls-remux-args';
import { hlsVariantLayout } from '../hls/hls-layout';
import { runFfmpeg } from '../runner/run-ffmpeg';
import { makeClip, makeTempDir, removeDir } from './lavfi-fixtures';
import {
  buildPsnrArgs,
  decodeAll,
  frameIndexAt,
  joinQuality,
  keyframeTimes,
  parsePsnrStats,
  psnrPerFrame,
  streamDurations,
  videoFrames,
} from './media-measurements';

const QUIET = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];

describe('media measurements (real ffmpeg)', () => {
  // Real encodes and decodes: seconds each on a busy 2-core machine, beyond jest's 5 s default.
  jest.setTimeout(60_000);
  let dir: string;
  let clip: string;

  beforeAll(async () => {
    dir = await makeTempDir('tf-measure-');
    // 4 s at 25 fps, a key frame every 30 frames (1.2 s).
    clip = await makeClip(join(dir, 'clip.mp4'), { width: 320, height: 180, durationS: 4, keyframeEveryFrames: 30 });
  });
  afterAll(() => removeDir(dir));

  it('lists every frame in presentation order with its key flag', async () => {
    const frames = await videoFrames(clip);
    expect(frames).toHaveLength(100);
    expect(frames[1].ptsS - frames[0].ptsS).toBeCloseTo(0.04, 5);
    expect(keyframeTimes(frames).map((t) => Number(t.toFixed(2)))).toEqual([0, 1.2, 2.4, 3.6]);
    expect(frameIndexAt(frames, 2.41)).toBe(60);
  });

  it('reads the video and audio durations and the frame duration', async () => {
    const d = await streamDurations(clip);
    expect(d).toMatchObject({ videoFrames: 100 });
    expect(d.videoS).toBeCloseTo(4, 2);
    expect(d.frameS).toBeCloseTo(0.04, 6);
    expect(Math.abs(d.audioS! - 4)).toBeLessThan(0.05);
  });

  it('decodes an MP4 and an HLS variant end to end, and sees a missing segment', async () => {
    expect(await decodeAll(clip)).toMatchObject({ frames: 100, errors: '' });

    const hls = join(dir, 'hls');
    const layout = hlsVariantLayout(hls, 'v');
    await mkdir(layout.dir, { recursive: true });
    await runFfmpeg(buildHlsRemuxArgs(clip, hls, { segmentSeconds: 2, label: 'v' }));
    expect(await decodeAll(layout.playlistPath, { hls: true })).toMatchObject({ frames: 100, errors: '' });

    await rm(join(layout.dir, 'seg-001.ts'));
    const broken = await decodeAll(layout.playlistPath, { hls: true });
    expect(broken.frames).toBeLessThan(100);
    expect(broken.errors).toMatch(/Failed to open segment 1/);
  });

  it('pairs frames by index: an identical encode is lossless, a dropped frame collapses the PSNR after it', async () => {
    const worse = join(dir, 'worse.mp4');
    const dropped = join(dir, 'dropped.mp4');
    const encode = (out: string, extra: string[]) =>
      runFfmpeg([...QUIET, '-i', clip, ...extra, '-c:v', 'libx264', '-preset', 'ultrafast', '-an', out]);
    await encode(worse, ['-crf', '40']);
    await encode(dropped, ['-crf', '18', '-vf', 'select=not(eq(n\\,50))', '-fps_mode', 'passthrough']);
    const [self, low, gap] = await psnrPerFrame({
      reference: clip,
      encodes: [clip, worse, dropped],
      width: 320,
      height: 180,
      statsFiles: ['self', 'worse', 'dropped'].map((n) => join(dir, `${n}.psnr`)),
    });
    expect(self).toHaveLength(100);
    expect(self.every((f) => f.avg === Infinity)).toBe(true);
    expect(low).toHaveLength(100);
    expect(Math.max(...low.map((f) => f.avg))).toBeLessThan(40);
    expect(gap).toHaveLength(99);
    const before = gap.slice(0, 50).map((f) => f.avg);
    const after = gap.slice(50).map((f) => f.avg);
    expect(Math.min(...before)).toBeGreaterThan(35);
    // testsrc2 moves every frame: frame n+1 against frame n of the source is far off.
    expect(Math.max(...after)).toBeLessThan(Math.min(...before) - 10);
  });

  it('refuses a stats file path the filter graph would misread', () => {
    expect(() =>
      buildPsnrArgs({ reference: clip, encodes: [clip], width: 2, height: 2, statsFiles: ['/tmp/a:b,c'] }),
    ).toThrow(/filter-safe/);
  });
});

describe('parsePsnrStats', () => {
  it('reads one line per frame, n from 0, inf for identical frames', () => {
    const text =
      'n:1 mse_avg:2.45 mse_y:3.02 mse_u:1.42 mse_v:1.21 psnr_avg:44.24 psnr_y:43.33 psnr_u:46.60 psnr_v:47.30\n' +
      'n:2 mse_avg:0.00 mse_y:0.00 mse_u:0.00 mse_v:0.00 psnr_avg:inf psnr_y:inf psnr_u:inf psnr_v:inf\n';
    expect(parsePsnrStats(text)).toEqual([
      { n: 0, avg: 44.24, y: 43.33 },
      { n: 1, avg: Infinity, y: Infinity },
    ]);
  });
});

describe('joinQuality', () => {
  const frames = (dbs: number[]) => dbs.map((avg, n) => ({ n, avg, y: avg }));

  it('compares the gap at the joins (and `window` frames around them) with the mean gap', () => {
    const baseline = frames([40, 40, 40, 40, 40, 40, 40, 40, 40, 40]);
    const candidate = frames([40, 40, 40, 40, 38, 39.5, 40, 40, 40, 40]);
    const q = joinQuality(baseline, candidate, [5], 1);
    expect(q.meanGapDb).toBeCloseTo(0.25, 6);
    expect(q.joins).toEqual([
      { n: 4, gapDb: 2 },
      { n: 5, gapDb: 0.5 },
      { n: 6, gapDb: 0 },
    ]);
    expect(q.worstExcessDb).toBeCloseTo(1.75, 6);
  });

  it('refuses encodes of different lengths (frame counts are asserted first)', () => {
    expect(() => joinQuality(frames([1, 2]), frames([1]), [0])).toThrow(/frame counts differ/);
  });
});
