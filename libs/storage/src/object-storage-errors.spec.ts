import { toJobError } from '@tf/errors';
import { createServer } from 'node:net';
import { ObjectStorage } from './object-storage';
import { createS3Client } from './storage-config';

/** A port nobody listens on: the S3 endpoint of an outage. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('ObjectStorage failures', () => {
  it('say they came from storage: an unreachable S3 is STORAGE_UNAVAILABLE (transient), not ECONNREFUSED', async () => {
    const endpoint = new URL(`http://127.0.0.1:${await closedPort()}`);
    const storage = new ObjectStorage(
      createS3Client({ endpoint, accessKey: 'k', secretKey: 'secret123', region: 'us-east-1' }),
    );
    const failures = await Promise.all([
      storage.stat('raw-videos', 'a.mp4').catch((e: unknown) => e),
      storage.download('raw-videos', 'a.mp4', '/dev/null').catch((e: unknown) => e),
      storage.putText('processed-videos', 'a.txt', 'x', 'text/plain').catch((e: unknown) => e),
    ]);
    for (const failure of failures) {
      expect((failure as { code?: string }).code).toBe('ECONNREFUSED');
      expect(toJobError(failure)).toMatchObject({ code: 'STORAGE_UNAVAILABLE', transient: true });
    }
  });
});
