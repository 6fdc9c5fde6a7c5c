import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { probeMedia } from '../probe/probe-media';
import { runFfmpeg } from '../runner/run-ffmpeg';
import { makeClip, makeTempDir, removeDir } from '../testing/lavfi-fixtures';
import { buildFirstFrameThumbnailArgs, buildTranscodeArgs, plannedOutputs, writtenOutputs } from './transcode-args';

jest.setTimeout(60_000);

describe('thumbnails of very short clips (real ffmpeg)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(() => removeDir(dir));

  it('a 1-frame clip: the encode writes no thumbnail at 10..90 %; writtenOutputs says so and the first frame fills in', async () => {
    const source = await makeClip(join(dir, 'one.mp4'), {
      width: 320,
      height: 240,
      durationS: 0.04,
      fps: 25,
      audio: false,
    });
    const media = await probeMedia(source);
    const plan = { source, outDir: dir, media, renditions: [] };
    await runFfmpeg(buildTranscodeArgs(plan));
    expect(plannedOutputs(plan).thumbnails).toHaveLength(5);
    expect((await writtenOutputs(plan)).thumbnails).toEqual([]);
    await runFfmpeg(buildFirstFrameThumbnailArgs(plan));
    expect((await writtenOutputs(plan)).thumbnails).toEqual([join(dir, 'thumb-1.jpg')]);
  });

  it('a half-second clip: the thumbnails that exist, numbered from 1 in time order', async () => {
    const source = await makeClip(join(dir, 'half.mp4'), {
      width: 320,
      height: 240,
      durationS: 0.12,
      fps: 25,
      audio: false,
    });
    const media = await probeMedia(source);
    const outDir = join(dir, 'half');
    await mkdir(outDir);
    const plan = { source, outDir, media, renditions: [] };
    await runFfmpeg(buildTranscodeArgs(plan));
    const written = (await writtenOutputs(plan)).thumbnails;
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(5);
    expect((await readdir(outDir)).filter((f) => f.startsWith('thumb-')).sort()).toEqual(
      written.map((p) => p.slice(outDir.length + 1)).sort(),
    );
  });
});
