import { resolveKey, signMediaPlaylist } from './playlist-rewrite';

const sign = async (key: string) => `https://s3.example/hls-streams/${key}?sig=1`;

describe('playlist rewriting', () => {
  it('resolves relative URIs inside the job only', () => {
    expect(resolveKey('j/360p/index.m3u8', 'seg-000.ts', 'j/')).toBe('j/360p/seg-000.ts');
    expect(resolveKey('j/360p/index.m3u8', '../subtitles/transcript.vtt', 'j/')).toBe('j/subtitles/transcript.vtt');
    expect(resolveKey('j/360p/index.m3u8', 'seg-000.ts?x=1', 'j/')).toBe('j/360p/seg-000.ts');
    expect(resolveKey('j/360p/index.m3u8', '../../k/360p/seg-000.ts', 'j/')).toBeNull();
    expect(resolveKey('j/360p/index.m3u8', '/etc/passwd', 'j/')).toBeNull();
    expect(resolveKey('j/360p/index.m3u8', 'https://cdn.example/a.ts', 'j/')).toBeNull();
  });

  it('signs every segment line and URI attribute, keeping tags, order and absolute URIs', async () => {
    const playlist = [
      '#EXTM3U',
      '#EXT-X-VERSION:6',
      '#EXT-X-TARGETDURATION:6',
      '#EXT-X-MAP:URI="init.mp4"',
      '#EXTINF:6.000000,',
      'seg-000.ts',
      '#EXTINF:2.000000,',
      'https://cdn.example/other.ts',
      '#EXT-X-ENDLIST',
      '',
    ].join('\n');
    expect(await signMediaPlaylist(playlist, 'j/360p/index.m3u8', 'j/', sign)).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:6',
        '#EXT-X-TARGETDURATION:6',
        '#EXT-X-MAP:URI="https://s3.example/hls-streams/j/360p/init.mp4?sig=1"',
        '#EXTINF:6.000000,',
        'https://s3.example/hls-streams/j/360p/seg-000.ts?sig=1',
        '#EXTINF:2.000000,',
        'https://cdn.example/other.ts',
        '#EXT-X-ENDLIST',
        '',
      ].join('\n'),
    );
  });

  it('signs the subtitle playlist’s VTT', async () => {
    const text = '#EXTM3U\n#EXT-X-TARGETDURATION:20\n#EXTINF:20.000,\ntranscript.vtt\n#EXT-X-ENDLIST\n';
    expect(await signMediaPlaylist(text, 'j/subtitles/index.m3u8', 'j/', sign)).toContain(
      'https://s3.example/hls-streams/j/subtitles/transcript.vtt?sig=1',
    );
  });
});
