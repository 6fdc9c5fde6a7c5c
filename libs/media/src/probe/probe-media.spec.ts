import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { MediaSource } from '../input/media-source';
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

  it('NOT_MEDIA: 1 KiB starting like an MP3 frame that runs past the end, read over HTTP with ranges like S3', async () => {
    // Seen in random 1 KiB uploads: the mp3 demuxer seeks past the end, S3 answers 416 and ffprobe ends with a bare
    // "Invalid argument", which was taken for an I/O fault: retried four times, then failed as INTERNAL_ERROR.
    const body = Buffer.alloc(1024);
    body.set([0xff, 0xe6, 0x44, 0x63]);
    const server = createServer((req, res) => {
      const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '');
      const start = range ? Number(range[1]) : 0;
      if (start >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` });
        return res.end();
      }
      const end = range?.[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
      res.writeHead(range ? 206 : 200, {
        'Accept-Ranges': 'bytes',
        'Content-Length': end - start + 1,
        ...(range ? { 'Content-Range': `bytes ${start}-${end}/${body.length}` } : {}),
      });
      res.end(body.subarray(start, end + 1));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const source = MediaSource.storageUrl(`${origin}/raw-videos/j/source.mp4?X-Amz-Signature=x`, origin);
      await expect(probeMedia(source)).rejects.toMatchObject({ code: 'NOT_MEDIA' });
    } finally {
      server.close();
    }
  });

  it('rejects with a plain (retryable) error when the file is missing', async () => {
    const error = await probeMedia(join(dir, 'missing.mp4')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).not.toBe('MediaProbeError');
  });
});
