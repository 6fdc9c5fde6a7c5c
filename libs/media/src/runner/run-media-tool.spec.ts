import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getPriority } from 'node:os';
import { MediaLimitExceededError } from '../errors';
import { globalOptions } from '../ffmpeg/global-options';
import { probeMedia } from '../probe/probe-media';
import { MediaSource } from '../input/media-source';
import { makeTempDir, removeDir } from '../testing/lavfi-fixtures';
import { limitedCommand, runMediaTool } from './run-media-tool';
import { mediaBudget } from './media-budget';
import { runFfmpeg } from './run-ffmpeg';

jest.setTimeout(60_000);

/** This process's own niceness: `nice -n` adds to it (a test run under nice starts its children there). */
const currentNice = (): number => getPriority();

/** A 60 s 720p encode: far more than the budgets below allow. */
const heavyEncode = [
  ...globalOptions(),
  '-f',
  'lavfi',
  '-i',
  'testsrc2=size=1280x720:rate=25:duration=60',
  '-c:v',
  'libx264',
  '-preset',
  'medium',
  '-f',
  'null',
  '-',
];

describe('runMediaTool: every run inside a budget (real ffmpeg)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(() => removeDir(dir));

  it('runs the tool under prlimit with the budget memory and CPU time, through nice when it lowers the priority', () => {
    const budget = { wallS: 10, cpuS: 20, memoryBytes: 1024, niceness: 0 };
    const { command, args } = limitedCommand('ffprobe', ['-v', 'error'], budget);
    expect(command).toBe('prlimit');
    expect(args).toEqual(['--as=1024', '--cpu=20:20', '--', 'ffprobe', '-v', 'error']);
    expect(limitedCommand('ffprobe', ['-v', 'error'], { ...budget, niceness: 10 }).args).toEqual([
      '--as=1024',
      '--cpu=20:20',
      '--',
      'nice',
      '-n',
      '10',
      'ffprobe',
      '-v',
      'error',
    ]);
  });

  it("starts the tool at the budget's niceness (TF_MEDIA_NICE, default 10): ffmpeg reads its own /proc/self/stat", async () => {
    const niceOf = async (budget: ReturnType<typeof mediaBudget>) => {
      const out: Buffer[] = [];
      await runMediaTool(
        'ffmpeg',
        ['-v', 'error', '-f', 'data', '-i', '/proc/self/stat', '-map', '0:0', '-c', 'copy', '-f', 'data', '-'],
        {
          budget,
          onStdout: (chunk) => out.push(chunk),
        },
      );
      // Field 19 of /proc/<pid>/stat; the command name (field 2) is "(ffmpeg)", without spaces.
      return Number(Buffer.concat(out).toString().trim().split(' ')[18]);
    };
    expect(mediaBudget('probe').niceness).toBe(10);
    expect(await niceOf(mediaBudget('probe'))).toBe(Math.min(19, 10 + currentNice()));
    expect(await niceOf({ ...mediaBudget('probe'), niceness: 0 })).toBe(currentNice());
  });

  it('scales the wall clock with the media duration and TF_MEDIA_TIME_SCALE', () => {
    const settings = { timeScale: 1, cpuPerWall: 2, memoryBytes: 1, rwTimeoutS: 30, niceness: 10 };
    expect(mediaBudget('encode', 100, settings).wallS).toBeGreaterThan(mediaBudget('encode', 10, settings).wallS);
    expect(mediaBudget('encode', 10, { ...settings, timeScale: 2 }).wallS).toBe(
      2 * mediaBudget('encode', 10, settings).wallS,
    );
  });

  it('MEDIA_TIMEOUT: killed when the wall-clock budget runs out', async () => {
    const error = await runFfmpeg(heavyEncode, {
      budget: { wallS: 1, cpuS: 600, memoryBytes: 4 * 1024 ** 3, niceness: 0 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaLimitExceededError);
    expect(error).toMatchObject({ code: 'MEDIA_TIMEOUT' });
  });

  it('MEDIA_RESOURCE_LIMIT: stopped by the CPU-time limit', async () => {
    const error = await runFfmpeg(heavyEncode, {
      budget: { wallS: 600, cpuS: 1, memoryBytes: 4 * 1024 ** 3, niceness: 0 },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MEDIA_RESOURCE_LIMIT', message: expect.stringContaining('CPU') });
  });

  it('MEDIA_RESOURCE_LIMIT: allocations past the memory limit fail', async () => {
    const big = [
      ...globalOptions(),
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=7680x4320:duration=1',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-f',
      'null',
      '-',
    ];
    const error = await runFfmpeg(big, {
      budget: { wallS: 600, cpuS: 600, memoryBytes: 400 * 1024 ** 2, niceness: 0 },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MEDIA_RESOURCE_LIMIT', message: expect.stringContaining('memory') });
  });

  it('an HLS playlist renamed .mp4, read over HTTP like a presigned URL, is NOT_MEDIA and its URIs are never requested', async () => {
    const listen = async (handler: (path: string) => string) => {
      const server = createServer((req, res) => res.end(handler(req.url ?? '')));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    };
    const requested: string[] = [];
    const target = await listen((path) => (requested.push(path), ''));
    const t = target.origin;
    const playlist =
      `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-KEY:METHOD=AES-128,URI="${t}/key"\n#EXT-X-MAP:URI="${t}/init.mp4"\n` +
      `#EXTINF:2,\n${t}/seg?x=.ts\n#EXT-X-ENDLIST\n`;
    // Stands in for our S3: the one origin the input may come from.
    const storage = await listen(() => playlist);
    try {
      const error = await probeMedia(
        MediaSource.storageUrl(`${storage.origin}/raw-videos/j/source.mp4?X-Amz-Signature=x`, storage.origin),
      ).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'NOT_MEDIA' });
      expect(requested).toEqual([]);
    } finally {
      target.server.close();
      storage.server.close();
    }
  });
});
