// @tf-background-services: runs on the six services of scripts/services.sh (see test/support/background-services.js).
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import type { JobView } from '@tf/client';
import { probeMedia } from '@tf/media';
import { client, ensureServicesUp } from '../pipeline/pipeline-harness';
import { HOSTILE_FILES, type HostileFile } from './hostile-corpus';
import { type HostileListener, startHostileListener } from './hostile-listener';

/** Downloads an output (a presigned or public URL the gateway gave) to a local file. */
async function download(url: string, path: string): Promise<Buffer> {
  const response = await request(url);
  const body = Buffer.from(await response.body.arrayBuffer());
  if (response.statusCode !== 200) throw new Error(`GET output answered ${response.statusCode}`);
  await writeFile(path, body);
  return body;
}

/** The first URI line of a playlist. */
const firstUri = (playlist: string): string =>
  playlist
    .split('\n')
    .find((l) => l.trim() && !l.startsWith('#'))!
    .trim();

/** Width of a baseline or progressive JPEG, from its SOF segment. */
function jpegWidth(jpeg: Buffer): number {
  for (let at = 2; at + 9 < jpeg.length;) {
    const marker = jpeg[at + 1];
    if (marker === 0xc0 || marker === 0xc2) return jpeg.readUInt16BE(at + 7);
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  return 0;
}

// Every file of the hostile corpus goes through the real gateway and the real pipeline. Each ends as a
// failed job with a product code, or completes with outputs checked by ffprobe; and nothing the files
// name (HTTP URLs, an RTP port) is ever contacted: the listener they point at receives nothing.
describe('hostile media corpus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-hostile-'));
  const api = client();
  let listener: HostileListener;
  const jobs = new Map<string, JobView>();

  beforeAll(async () => {
    listener = await startHostileListener();
    const made = Date.now();
    const paths = new Map<HostileFile, string>();
    // Four at a time: the 16000x16000 fixture alone takes about as long as all the others one by one.
    const queue = [...HOSTILE_FILES];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let file = queue.shift(); file; file = queue.shift()) paths.set(file, await file.make(dir, listener));
      }),
    );
    const madeS = (Date.now() - made) / 1000;
    ensureServicesUp();

    const started = Date.now();
    // Rejects need only the validator; the few that complete run the whole pipeline (transcoder, hls, transcriber).
    const uploaded = await Promise.all(
      HOSTILE_FILES.map(async (file) => {
        const completes = 'completes' in file.expect;
        const { job_id } = await api.uploadFile(paths.get(file)!, {
          targetResolutions: ['360p'],
          enableHls: completes,
          enableTranscription: completes,
        });
        return { file, job_id };
      }),
    );
    const finished = await Promise.all(
      uploaded.map(async ({ file, job_id }) => ({ name: file.name, job: await api.waitForJob(job_id) })),
    );
    for (const { name, job } of finished) jobs.set(name, job);
    console.log(
      `hostile corpus: ${HOSTILE_FILES.length} files made in ${madeS.toFixed(1)} s; all jobs terminal ${((Date.now() - started) / 1000).toFixed(1)} s after the first upload`,
    );
  });
  afterAll(async () => {
    await listener?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has at least 30 files', () => {
    expect(HOSTILE_FILES.length).toBeGreaterThanOrEqual(30);
  });

  const rejects = HOSTILE_FILES.filter((f): f is HostileFile & { expect: { fails: string[] } } => 'fails' in f.expect);
  it.each(rejects.map((f) => [f.name, f.expect.fails.join(' or ')] as const))(
    '%s fails with %s, a public message',
    (name, codes) => {
      const job = jobs.get(name)!;
      expect({ status: job.status, code: job.error?.code }).toEqual({
        status: 'failed',
        code: expect.stringMatching(new RegExp(`^(${codes.replace(/ or /g, '|')})$`)),
      });
      expect(job.error!.message).not.toMatch(/https?:|file:|\/tmp\/|127\.0\.0\.1|0x[0-9a-f]{6,}/i);
    },
  );

  const completes = HOSTILE_FILES.filter(
    (f): f is HostileFile & { expect: { completes: { thumbnails: number | 'some'; audio: boolean } } } =>
      'completes' in f.expect,
  );
  it.each(completes.map((f) => [f.name] as const))(
    '%s completes: a decodable rendition, HLS, the thumbnails that exist, a transcript when it has audio',
    async (name) => {
      const file = completes.find((f) => f.name === name)!;
      const job = jobs.get(name)!;
      expect({ status: job.status, error: job.error }).toEqual({ status: 'completed', error: null });
      const of = (kind: string) => job.outputs.filter((o) => o.kind === kind);

      const [rendition] = of('rendition');
      const local = join(dir, `${name}.out.mp4`);
      await download(rendition.url, local);
      const media = await probeMedia(local);
      expect(media.video_codec).toBe('h264');
      expect(media.width * media.height).toBeGreaterThan(0);

      const thumbnails = of('thumbnail');
      console.log(
        `${name}: ${job.outputs.length} outputs, ${thumbnails.length} thumbnail(s), rendition ${media.width}x${media.height}`,
      );
      if (file.expect.completes.thumbnails === 'some') {
        expect(thumbnails.length).toBeGreaterThanOrEqual(1);
        expect(thumbnails.length).toBeLessThanOrEqual(5);
      } else expect(thumbnails).toHaveLength(file.expect.completes.thumbnails);
      for (const [i, thumbnail] of thumbnails.entries()) {
        const jpeg = await download(thumbnail.url, join(dir, `${name}.thumb-${i + 1}.jpg`));
        expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
        expect(jpegWidth(jpeg)).toBe(640);
      }

      const [master] = of('hls');
      const masterText = await (await request(master.url)).body.text();
      expect(masterText).toContain('#EXT-X-STREAM-INF');
      const variantUrl = new URL(firstUri(masterText), master.url);
      const segmentUrl = new URL(firstUri(await (await request(variantUrl)).body.text()), variantUrl);
      const segment = join(dir, `${name}.seg.ts`);
      await download(segmentUrl.href, segment);
      expect((await probeMedia(segment)).video_codec).toBe('h264');
      // A transcript (SRT, VTT, JSON, TXT) when there is a soundtrack; none without one.
      expect(of('transcript').length).toBe(file.expect.completes.audio ? 4 : 0);
      expect(of('audio').length).toBe(file.expect.completes.audio ? 1 : 0);
    },
  );

  it('the listener the files point at received no connection and no datagram', () => {
    expect(jobs.size).toBe(HOSTILE_FILES.length);
    expect(listener.hits).toEqual([]);
  });
});
