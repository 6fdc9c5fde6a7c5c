import { looksLikeMediaContainer, redactQuery } from './container-signature';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('looksLikeMediaContainer', () => {
  it('recognises ISO-BMFF, Matroska and friends', () => {
    expect(looksLikeMediaContainer(bytes([0, 0, 0, 0x20], 'ftypisom'))).toBe(true);
    expect(looksLikeMediaContainer(bytes([0, 0, 0, 0x08], 'mdat'))).toBe(true);
    expect(looksLikeMediaContainer(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x01]))).toBe(true);
    expect(looksLikeMediaContainer(bytes('RIFF', [0, 0, 0, 0], 'AVI '))).toBe(true);
    const ts = new Uint8Array(376);
    ts[0] = 0x47;
    ts[188] = 0x47;
    expect(looksLikeMediaContainer(ts)).toBe(true);
  });

  it('does not take text for media', () => {
    expect(looksLikeMediaContainer(bytes('hello, this is not a video\n'))).toBe(false);
    expect(looksLikeMediaContainer(bytes('GIF is not a TS file either'))).toBe(false);
    expect(looksLikeMediaContainer(new Uint8Array())).toBe(false);
  });
});

describe('redactQuery', () => {
  it('hides presigned URL credentials', () => {
    expect(redactQuery('http://s3/b/k.mp4?X-Amz-Signature=abc')).toBe('http://s3/b/k.mp4?…');
    expect(redactQuery('/tmp/a.mp4')).toBe('/tmp/a.mp4');
  });
});
