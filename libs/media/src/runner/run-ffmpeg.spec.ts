import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { globalOptions } from '../ffmpeg/global-options';
import { makeTempDir, removeDir } from '../testing/lavfi-fixtures';
import { FfmpegAbortedError, FfmpegExitError } from './ffmpeg-errors';
import { runFfmpeg } from './run-ffmpeg';

jest.setTimeout(60_000);

const lavfiTestPattern = (seconds: number) => [
  '-f',
  'lavfi',
  '-i',
  `testsrc2=size=160x120:rate=25:duration=${seconds}`,
];

describe('runFfmpeg (real ffmpeg)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(() => removeDir(dir));

  it('reports growing percentages up to 100 from the -progress stream', async () => {
    const percents: number[] = [];
    const result = await runFfmpeg(
      [...globalOptions(), ...lavfiTestPattern(3), '-c:v', 'libx264', '-preset', 'ultrafast', join(dir, 'out.mp4')],
      { durationS: 3, onProgress: (p) => percents.push(p) },
    );
    expect(percents.length).toBeGreaterThan(0);
    expect(percents[percents.length - 1]).toBe(100);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
    expect(result.lastProgress).toMatchObject({ done: true, frame: 75 });
  });

  it('rejects with the exit code and the stderr tail', async () => {
    const error = await runFfmpeg([...globalOptions(), '-i', join(dir, 'does-not-exist.mp4'), '-f', 'null', '-']).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FfmpegExitError);
    expect(error).toMatchObject({ exitCode: 1, stderrTail: expect.stringContaining('No such file or directory') });
    expect((error as Error).message).toMatch(/exited with code 1: .*No such file or directory/);
  });

  it('stops ffmpeg when the signal aborts', async () => {
    const controller = new AbortController();
    // -re reads at playback speed: this would take a minute if the abort did not stop it.
    const run = runFfmpeg([...globalOptions(), '-re', ...lavfiTestPattern(60), '-f', 'null', '-'], {
      signal: controller.signal,
      durationS: 60,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toBeInstanceOf(FfmpegAbortedError);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('kills with SIGKILL when ffmpeg ignores SIGTERM for longer than the grace period', async () => {
    // A stand-in for a wedged ffmpeg (e.g. stuck writing to a dead network mount) that ignores SIGTERM.
    const stubborn = join(dir, 'stubborn-ffmpeg.sh');
    // It reports progress only once SIGTERM is ignored, and the abort is sent from that report, so the
    // only way the run can end is the SIGKILL.
    const script =
      "#!/usr/bin/env bash\ntrap '' TERM\nprintf 'out_time_us=500000\\nprogress=continue\\n'\nwhile :; do sleep 0.1; done\n";
    await writeFile(stubborn, script, { mode: 0o755 });
    const previous = process.env.FFMPEG_PATH;
    process.env.FFMPEG_PATH = stubborn;
    try {
      const controller = new AbortController();
      const run = runFfmpeg([], {
        signal: controller.signal,
        durationS: 1,
        killGraceMs: 200,
        onProgress: () => controller.abort(),
      });
      await expect(run).rejects.toBeInstanceOf(FfmpegAbortedError);
    } finally {
      if (previous === undefined) delete process.env.FFMPEG_PATH;
      else process.env.FFMPEG_PATH = previous;
    }
  });

  it('does not start when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runFfmpeg(['-version'], { signal: controller.signal })).rejects.toBeInstanceOf(FfmpegAbortedError);
  });
});
