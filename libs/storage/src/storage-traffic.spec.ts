import { metricsRegistry } from '@tf/observability';
import type { Client } from 'minio';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ObjectStorage } from './object-storage';
import { stageStorageTraffic } from './storage-metrics';

/** S3 is the boundary faked here: objects in a Map, the four SDK calls ObjectStorage's data paths make. */
function fakeS3() {
  const objects = new Map<string, Buffer>();
  const id = (bucket: string, key: string) => `${bucket}/${key}`;
  const client = {
    putObject: async (bucket: string, key: string, body: Buffer | Readable) => {
      const chunks: Buffer[] = [];
      if (Buffer.isBuffer(body)) chunks.push(body);
      else for await (const c of body) chunks.push(c as Buffer);
      objects.set(id(bucket, key), Buffer.concat(chunks));
    },
    fPutObject: async (bucket: string, key: string, path: string) => objects.set(id(bucket, key), await readFile(path)),
    statObject: async (bucket: string, key: string) => ({ size: objects.get(id(bucket, key))!.length }),
    // In 1 KiB chunks, as a socket would deliver them.
    getObject: async (bucket: string, key: string) => {
      const body = objects.get(id(bucket, key))!;
      return Readable.from(
        Array.from({ length: Math.ceil(body.length / 1024) }, (_, i) => body.subarray(i * 1024, (i + 1) * 1024)),
      );
    },
  };
  return client as unknown as Client;
}

/** One counter's value for exactly these labels (0 when the series does not exist). */
async function counted(name: string, labels: Record<string, string>): Promise<number> {
  const { values } = await metricsRegistry.getSingleMetric(name)!.get();
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
}

describe('ObjectStorage traffic (tf_storage_read_bytes_total, tf_storage_written_bytes_total)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tf-storage-traffic-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  beforeEach(() => metricsRegistry.resetMetrics());

  it('counts every byte a stage writes and reads, by stage and bucket', async () => {
    const storage = new ObjectStorage(fakeS3(), stageStorageTraffic('package'));
    const file = join(dir, 'seg.ts');
    await writeFile(file, Buffer.alloc(5000, 1));
    await storage.putFile('hls-streams', 'j/720p/seg.ts', file, 'video/mp2t');
    await storage.putText('hls-streams', 'j/master.m3u8', '#EXTM3U\n', 'application/vnd.apple.mpegurl');
    await storage.putStream('processed-videos', 'j/a.bin', Readable.from([Buffer.alloc(300), Buffer.alloc(200)]), 'x');
    await storage.download('hls-streams', 'j/720p/seg.ts', join(dir, 'copy.ts'));
    expect(await storage.getText('hls-streams', 'j/master.m3u8')).toBe('#EXTM3U\n');

    expect(await counted('tf_storage_written_bytes_total', { stage: 'package', bucket: 'hls-streams' })).toBe(5008);
    expect(await counted('tf_storage_written_bytes_total', { stage: 'package', bucket: 'processed-videos' })).toBe(500);
    expect(await counted('tf_storage_read_bytes_total', { stage: 'package', bucket: 'hls-streams' })).toBe(5008);
    expect((await readFile(join(dir, 'copy.ts'))).length).toBe(5000);
  });

  it('counts nothing for an ObjectStorage that belongs to no stage (the gateway)', async () => {
    const storage = new ObjectStorage(fakeS3());
    await storage.putText('raw-videos', 'a.txt', 'hello', 'text/plain');
    await storage.getText('raw-videos', 'a.txt');
    const { values } = await metricsRegistry.getSingleMetric('tf_storage_written_bytes_total')!.get();
    expect(values).toEqual([]);
  });
});
