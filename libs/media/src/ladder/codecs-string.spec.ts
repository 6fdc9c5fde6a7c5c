import { avc1Codec, mp4aCodec, renditionCodecs } from './codecs-string';

describe('RFC 6381 codec strings', () => {
  it('builds avc1 from profile and level', () => {
    expect(avc1Codec('High', 40)).toBe('avc1.640028');
    expect(avc1Codec('Main', 31)).toBe('avc1.4d401f');
    expect(avc1Codec('Constrained Baseline', 30)).toBe('avc1.42e01e');
    expect(() => avc1Codec('Mystery', 30)).toThrow(/Mystery/);
  });

  it('builds mp4a from the AAC profile', () => {
    expect(mp4aCodec()).toBe('mp4a.40.2');
    expect(mp4aCodec('HE-AAC')).toBe('mp4a.40.5');
  });

  it('joins video and audio for a rendition', () => {
    expect(renditionCodecs(31, true)).toBe('avc1.64001f,mp4a.40.2');
    expect(renditionCodecs(31, false)).toBe('avc1.64001f');
  });
});
