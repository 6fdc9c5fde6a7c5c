import type { Client } from 'minio';
import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { ObjectStorage, SINGLE_PUT_MAX_BYTES } from './object-storage';

/** The SDK calls of putStream, recorded: what body each PUT got (a Buffer of known size, or a stream). */
function recordingS3() {
  const puts: Array<{ body: Buffer; streamed: boolean; size: number | undefined }> = [];
  let stats = 0;
  const client = {
    putObject: async (_bucket: string, _key: string, body: Buffer | Readable, size?: number) => {
      const chunks: Buffer[] = [];
      if (Buffer.isBuffer(body)) chunks.push(body);
      else for await (const c of body) chunks.push(c as Buffer);
      puts.push({ body: Buffer.concat(chunks), streamed: !Buffer.isBuffer(body), size });
    },
    statObject: async () => (stats++, { size: puts[puts.length - 1].body.length }),
  };
  return { client: client as unknown as Client, puts, stats: () => stats };
}

/** A body arriving in 64 KiB chunks, as a request's file part does. */
function arriving(bytes: Buffer): PassThrough {
  const body = new PassThrough();
  void (async () => {
    for (let i = 0; i < bytes.length; i += 65536) {
      if (!body.write(bytes.subarray(i, i + 65536))) await new Promise((r) => body.once('drain', r));
      await new Promise((r) => setImmediate(r));
    }
    body.end();
  })();
  return body;
}

describe('ObjectStorage.putStream', () => {
  it('stores a body that ends within SINGLE_PUT_MAX_BYTES with one PUT of known size (no multipart, no HEAD)', async () => {
    const s3 = recordingS3();
    const file = randomBytes(1024);
    const stored = await new ObjectStorage(s3.client).putStream(
      'raw-videos',
      'a/source.mp4',
      arriving(file),
      'video/mp4',
      10 * 2 ** 30,
    );
    expect(stored).toEqual({ bucket: 'raw-videos', key: 'a/source.mp4', bytes: 1024, content_type: 'video/mp4' });
    expect(s3.puts).toEqual([{ body: file, streamed: false, size: 1024 }]);
    expect(s3.stats()).toBe(0);
  });

  it('streams a longer body whole (the head read so far, then the rest) with the size hint, and asks its size', async () => {
    const s3 = recordingS3();
    const file = randomBytes(SINGLE_PUT_MAX_BYTES + 200_000);
    const stored = await new ObjectStorage(s3.client).putStream(
      'raw-videos',
      'b/source.mp4',
      arriving(file),
      'video/mp4',
      10 * 2 ** 30,
    );
    expect(stored.bytes).toBe(file.length);
    expect(s3.puts).toHaveLength(1);
    expect(s3.puts[0].streamed).toBe(true);
    expect(s3.puts[0].size).toBe(10 * 2 ** 30);
    expect(s3.puts[0].body.equals(file)).toBe(true);
    expect(s3.stats()).toBe(1);
  });

  it('fails with the body when it fails before its end', async () => {
    const s3 = recordingS3();
    const body = new PassThrough();
    body.write(randomBytes(1000));
    setImmediate(() => body.destroy(new Error('client went away')));
    await expect(new ObjectStorage(s3.client).putStream('raw-videos', 'c', body, 'video/mp4')).rejects.toThrow(
      'client went away',
    );
    expect(s3.puts).toHaveLength(0);
  });
});
