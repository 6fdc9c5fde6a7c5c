import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { MediaLimitExceededError, MediaProbeError } from '../errors';
import { globalOptions } from '../ffmpeg/global-options';
import { probeMedia } from '../probe/probe-media';
import { makeTempDir, removeDir, writeText } from '../testing/lavfi-fixtures';
import { limitedCommand } from './run-media-tool';
import { mediaBudget } from './media-budget';
import { runFfmpeg } from './run-ffmpeg';

jest.setTimeout(60_000);

/** A 60 s 720p encode: far more than the budgets below allow. */
const heavyEncode = [...globalOptions(), '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25:duration=60', '-c:v', 'libx264', '-preset', 'medium', '-f', 'null', '-'];

describe('runMediaTool: every run inside a budget (real ffmpeg)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(() => removeDir(dir));

  it('runs the tool under prlimit with the budget memory and CPU time', () => {
    const { command, args } = limitedCommand('ffprobe', ['-v', 'error'], { wallS: 10, cpuS: 20, memoryBytes: 1024 });
    expect(command).toBe('prlimit');
    expect(args).toEqual(['--as=1024', '--cpu=20:20', '--', 'ffprobe', '-v', 'error']);
  });

  it('scales the wall clock with the media duration and TF_MEDIA_TIME_SCALE', () => {
    const settings = { timeScale: 1, cpuPerWall: 2, memoryBytes: 1 };
    expect(mediaBudget('encode', 100, settings).wallS).toBeGreaterThan(mediaBudget('encode', 10, settings).wallS);
    expect(mediaBudget('encode', 10, { ...settings, timeScale: 2 }).wallS).toBe(2 * mediaBudget('encode', 10, settings).wallS);
  });

  it('MEDIA_TIMEOUT: killed when the wall-clock budget runs out', async () => {
    const error = await runFfmpeg(heavyEncode, { budget: { wallS: 1, cpuS: 600, memoryBytes: 4 * 1024 ** 3 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaLimitExceededError);
    expect(error).toMatchObject({ code: 'MEDIA_TIMEOUT' });
  });

  it('MEDIA_RESOURCE_LIMIT: stopped by the CPU-time limit', async () => {
    const error = await runFfmpeg(heavyEncode, { budget: { wallS: 600, cpuS: 1, memoryBytes: 4 * 1024 ** 3 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MEDIA_RESOURCE_LIMIT', message: expect.stringContaining('CPU') });
  });

  it('MEDIA_RESOURCE_LIMIT: allocations past the memory limit fail', async () => {
    const big = [...globalOptions(), '-f', 'lavfi', '-i', 'testsrc2=size=7680x4320:duration=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-f', 'null', '-'];
    const error = await runFfmpeg(big, { budget: { wallS: 600, cpuS: 600, memoryBytes: 400 * 1024 ** 2 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MEDIA_RESOURCE_LIMIT', message: expect.stringContaining('memory') });
  });

  it('an HLS playlist renamed .mp4 is NOT_MEDIA and its segment URL is never requested', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests += 1;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const playlist = `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nhttp://127.0.0.1:${port}/seg?x=.ts\n#EXT-X-ENDLIST\n`;
      const error = await probeMedia(await writeText(join(dir, 'playlist.mp4'), playlist)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediaProbeError);
      expect(error).toMatchObject({ code: 'NOT_MEDIA' });
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });
});
