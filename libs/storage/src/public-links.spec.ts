import { ObjectStorage } from './object-storage';
import { createPublicLinkClient, createS3Client, storageConfig } from './storage-config';

// In docker-compose the services reach S3 as http://s3:9000, a name that resolves inside the network only:
// a URL handed to a browser must name the address the host publishes (TF_S3_PUBLIC_ENDPOINT).
const COMPOSE = {
  TF_S3_ENDPOINT: 'http://s3:9000',
  TF_S3_PUBLIC_ENDPOINT: 'http://127.0.0.1:9000',
  TF_S3_ACCESS_KEY: 'k',
  TF_S3_SECRET_KEY: 'secret123',
};

describe('storageConfig: the public endpoint', () => {
  it('is TF_S3_PUBLIC_ENDPOINT when set, else the endpoint itself', () => {
    expect(storageConfig(COMPOSE).publicEndpoint?.origin).toBe('http://127.0.0.1:9000');
    expect(storageConfig(COMPOSE).endpoint.origin).toBe('http://s3:9000');
    expect(storageConfig({ ...COMPOSE, TF_S3_PUBLIC_ENDPOINT: ' ' }).publicEndpoint?.origin).toBe('http://s3:9000');
    expect(storageConfig({}).publicEndpoint?.origin).toBe('http://127.0.0.1:9000');
  });

  it.each([
    ['media.example.com', /TF_S3_PUBLIC_ENDPOINT must be an absolute http\(s\) URL/],
    ['ftp://media.example.com', /TF_S3_PUBLIC_ENDPOINT must be an absolute http\(s\) URL/],
    ['https://media.example.com/s3', /TF_S3_PUBLIC_ENDPOINT must be an origin/],
    ['https://u:p@media.example.com', /TF_S3_PUBLIC_ENDPOINT must be an origin/],
  ])('refuses TF_S3_PUBLIC_ENDPOINT=%s, naming it', (value, message) => {
    expect(() => storageConfig({ ...COMPOSE, TF_S3_PUBLIC_ENDPOINT: value })).toThrow(message);
  });
});

describe('ObjectStorage presigning', () => {
  const config = storageConfig(COMPOSE);
  const storage = new ObjectStorage(createS3Client(config), undefined, createPublicLinkClient(config));
  const signedFor = (url: string) => {
    const u = new URL(url);
    expect(u.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    return u.origin;
  };

  it("signs the URLs for clients on the public endpoint (GET, PUT, a multipart part) and our ffmpeg's on the services' one", async () => {
    const get = await storage.presignClientGet('hls-streams', 'j/360p/seg-000.ts', 60);
    expect(signedFor(get)).toBe('http://127.0.0.1:9000');
    expect(new URL(get).pathname).toBe('/hls-streams/j/360p/seg-000.ts');
    expect(new URL(get).searchParams.get('X-Amz-Expires')).toBe('60');
    expect(signedFor(await storage.presignPut('raw-videos', 'j/source.mp4'))).toBe('http://127.0.0.1:9000');
    const part = await storage.presignUploadPart('raw-videos', 'j/source.mp4', 'upload-1', 3);
    expect(signedFor(part)).toBe('http://127.0.0.1:9000');
    expect(new URL(part).searchParams.get('partNumber')).toBe('3');
    expect(signedFor(await storage.presignGet('raw-videos', 'j/source.mp4'))).toBe('http://s3:9000');
  });

  it('gives the same signature for the same host, a different one for another host (S3 checks the Host it receives)', async () => {
    const local = new ObjectStorage(createS3Client(config));
    const at = new Date();
    jest.useFakeTimers({ now: at, doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const signature = async (s: ObjectStorage, internal: boolean) =>
        new URL(
          internal ? await s.presignGet('hls-streams', 'k', 60) : await s.presignClientGet('hls-streams', 'k', 60),
        ).searchParams.get('X-Amz-Signature');
      expect(await signature(local, false)).toBe(await signature(local, true));
      expect(await signature(storage, false)).not.toBe(await signature(storage, true));
    } finally {
      jest.useRealTimers();
    }
  });
});
