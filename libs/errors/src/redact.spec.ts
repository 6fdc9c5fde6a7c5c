import { redact } from './redact';

const PRESIGNED =
  'http://127.0.0.1:9000/raw-videos/t1/3f0c2b1a.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=tfadmin%2F20261205%2Fus-east-1%2Fs3%2Faws4_request' +
  '&X-Amz-Date=20261205T100000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=5f1e0c9d8b7a6f5e4d3c2b1a00112233445566778899aabbccddeeff00112233';

describe('redact', () => {
  it('removes a presigned S3 URL whole (host, key, credential, signature)', () => {
    const out = redact(`ffprobe exited with code 1\n${PRESIGNED}: Server returned 404 Not Found`);
    expect(out).toBe('ffprobe exited with code 1\n<url>: Server returned 404 Not Found');
    expect(out).not.toMatch(/X-Amz|Signature|9000|raw-videos|tfadmin/);
  });

  it('removes URLs of any scheme, with credentials', () => {
    expect(redact('GET https://admin:s3cret@s3.eu-west-1.amazonaws.com/bucket/key failed')).toBe('GET <url> failed');
    expect(redact('cannot open rtmp://10.0.0.5/live and tcp://[::1]:9092')).toBe('cannot open <url> and <url>');
    expect(redact('(see "http://minio:9000/x")')).toBe('(see "<url>")');
  });

  it('removes signature query parameters seen without their URL', () => {
    expect(redact('query X-Amz-Credential=AKIA%2F2026&X-Amz-Signature=abcdef0123 was refused')).toBe(
      'query X-Amz-Credential=<redacted>&X-Amz-Signature=<redacted> was refused',
    );
  });

  it('removes errno hosts and ports, keeping the errno words', () => {
    expect(redact('connect ECONNREFUSED 127.0.0.1:9000')).toBe('connect ECONNREFUSED <host>');
    expect(redact('connect ECONNREFUSED ::1:5432')).toBe('connect ECONNREFUSED <host>');
    expect(redact('connect ETIMEDOUT 10.1.2.3:443')).toBe('connect ETIMEDOUT <host>');
    expect(redact('getaddrinfo ENOTFOUND minio.internal')).toBe('getaddrinfo ENOTFOUND <host>');
    expect(redact('broker kafka-0.kafka.svc:9092 went away')).toBe('broker <host> went away');
    expect(redact('read ECONNRESET from localhost:5432')).toBe('read ECONNRESET from <host>');
    expect(redact('connect to [fe80::1%eth0]:9000')).toBe('connect to <host>');
    expect(redact('peer 2001:db8:85a3:0:0:8a2e:370:7334 reset')).toBe('peer <host> reset');
  });

  it('removes absolute paths, including temp work dirs', () => {
    expect(redact("ENOENT: no such file or directory, open '/tmp/tf-transcode-3f0c-Ab12/source.mp4'")).toBe(
      "ENOENT: no such file or directory, open '<path>'",
    );
    expect(redact('/var/lib/tf/work/out/720p.mp4: No space left on device')).toBe('<path>: No space left on device');
    expect(redact('at Object.<anonymous> (/home/app/libs/media/src/run.ts:42:7)')).toBe(
      'at Object.<anonymous> (<path>:42:7)',
    );
    expect(redact('open C:\\Users\\tf\\AppData\\Local\\Temp\\x.mp4')).toBe('open <path>');
    expect(redact('spawn /usr/bin/ffmpeg ENOENT; cwd /tmp')).toBe('spawn <path> ENOENT; cwd <path>');
    expect(redact(`at run (${process.cwd()}/libs/x.ts:1:2)`)).toBe('at run (<path>:1:2)');
  });

  it('removes a local input named with the file: protocol, as the media input builder passes it to ffmpeg', () => {
    expect(
      redact('file:/tmp/tf-work-ytszGL/tf-transcode-4b0f-Y5Hj4C/source.mp4: Invalid data found when processing input'),
    ).toBe('file:<path>: Invalid data found when processing input');
    expect(redact('Error opening input file:/srv/x/source.mkv.')).toBe('Error opening input file:<path>.');
  });

  it('removes memory addresses (ffmpeg log prefixes)', () => {
    expect(redact('[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d1c2a0] moov atom not found')).toBe(
      '[mov,mp4,m4a,3gp,3g2,mj2 @ <addr>] moov atom not found',
    );
    expect(redact('[libx264 @ 0x7f3a9c001234] frame MB size (2x270) > level limit')).toBe(
      '[libx264 @ <addr>] frame MB size (2x270) > level limit',
    );
  });

  it('redacts a real ffmpeg failure in one pass', () => {
    const stderr =
      `[hls @ 0x5581a2b3c4d0] Opening '${PRESIGNED}' for reading\n` +
      '[tcp @ 0x5581a2b3d000] Connection to tcp://127.0.0.1:9000 failed: Connection refused\n' +
      '/tmp/tf-transcode-9a1b-XYZ/out/720p.mp4: Invalid argument';
    const out = redact(stderr);
    expect(out).toBe(
      "[hls @ <addr>] Opening '<url>' for reading\n[tcp @ <addr>] Connection to <url> failed: Connection refused\n<path>: Invalid argument",
    );
  });

  it('keeps ordinary text: words, ratios, versions, times, relative keys, codes', () => {
    const plain =
      'CORRUPT_MEDIA: moov atom not found; 720p at 50/100 %, HTTP/1.1, 12:30:45, std::string, raw-videos/t1/a.mp4, exit code 1, 3/5 thumbnails, Cannot GET /api/v1/jobs/42, Mapped {/api/v1/jobs, GET} route';
    expect(redact(plain)).toBe(plain);
    expect(redact('Duration 5.0 h exceeds the limit of 4 h')).toBe('Duration 5.0 h exceeds the limit of 4 h');
  });

  it('is idempotent', () => {
    const once = redact(`${PRESIGNED} /tmp/x 0x55d1c2a0 127.0.0.1:9000`);
    expect(redact(once)).toBe(once);
    expect(once).toBe('<url> <path> <addr> <host>');
  });
});
