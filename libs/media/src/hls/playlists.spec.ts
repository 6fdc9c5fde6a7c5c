import { buildHlsRemuxArgs } from './hls-remux-args';
import { renderMasterPlaylist } from './master-playlist';
import { parseMediaPlaylist } from './media-playlist';
import { renderSubtitlePlaylist } from './subtitle-playlist';
import { withTimestampMap } from './subtitle-timestamp-map';

describe('buildHlsRemuxArgs', () => {
  it('copies the streams into a VOD HLS variant named after the rendition', () => {
    const args = buildHlsRemuxArgs('/work/720p.mp4', '/hls', { segmentSeconds: 4 });
    expect(args).toEqual(
      expect.arrayContaining(['-i', 'file:/work/720p.mp4', '-c', 'copy', '-f', 'hls', '-hls_playlist_type', 'vod']),
    );
    // The rendition is read as a local file only: a remux never opens anything else.
    expect(args[args.indexOf('-protocol_whitelist') + 1]).toBe('file');
    expect(args.indexOf('-format_whitelist')).toBeLessThan(args.indexOf('-i'));
    expect(args[args.indexOf('-hls_time') + 1]).toBe('4');
    expect(args[args.indexOf('-hls_flags') + 1]).toBe('independent_segments');
    expect(args[args.indexOf('-hls_segment_filename') + 1]).toBe('/hls/720p/seg-%03d.ts');
    expect(args[args.length - 1]).toBe('/hls/720p/index.m3u8');
  });

  it('refuses segment lengths that do not fall on keyframes', () => {
    expect(() => buildHlsRemuxArgs('/w/360p.mp4', '/hls', { segmentSeconds: 5 })).toThrow(/multiple of 2/);
    expect(buildHlsRemuxArgs('/w/360p.mp4', '/hls')).toContain('6');
  });
});

describe('renderMasterPlaylist', () => {
  const variants = [
    {
      uri: '720p/index.m3u8',
      bandwidth: 3_100_000,
      averageBandwidth: 1_900_000,
      width: 1280,
      height: 720,
      codecs: 'avc1.64001f,mp4a.40.2',
    },
    {
      uri: '360p/index.m3u8',
      bandwidth: 950_000,
      averageBandwidth: 600_000,
      width: 640,
      height: 360,
      codecs: 'avc1.64001e,mp4a.40.2',
      frameRate: 25,
    },
  ];

  it('lists variants by bandwidth with RESOLUTION and CODECS', () => {
    expect(renderMasterPlaylist(variants)).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-STREAM-INF:BANDWIDTH=950000,AVERAGE-BANDWIDTH=600000,RESOLUTION=640x360,FRAME-RATE=25.000,CODECS="avc1.64001e,mp4a.40.2"',
        '360p/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=3100000,AVERAGE-BANDWIDTH=1900000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2"',
        '720p/index.m3u8',
        '',
      ].join('\n'),
    );
  });

  it('adds a WebVTT subtitle group that every variant refers to', () => {
    const master = renderMasterPlaylist(variants, {
      subtitles: { uri: 'subs/en.m3u8', language: 'en', name: 'English' },
    });
    expect(master).toContain(
      '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="subs/en.m3u8"',
    );
    expect(master.match(/SUBTITLES="subs"/g)).toHaveLength(2);
  });

  it('keeps quoted strings valid', () => {
    const master = renderMasterPlaylist(variants, {
      subtitles: { uri: 'subs/en.m3u8', language: 'en', name: 'Eng"lish\n' },
    });
    expect(master).toContain('NAME="English"');
  });

  it('needs a variant', () => {
    expect(() => renderMasterPlaylist([])).toThrow();
  });
});

describe('renderSubtitlePlaylist', () => {
  it('is one VOD segment covering the video', () => {
    const text = renderSubtitlePlaylist('en.vtt', 61.2);
    expect(text).toBe(
      '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:62\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:61.200,\nen.vtt\n#EXT-X-ENDLIST\n',
    );
    expect(parseMediaPlaylist(text)).toEqual([{ uri: 'en.vtt', durationS: 61.2 }]);
  });
});

describe('withTimestampMap', () => {
  it('adds the MPEG-TS mapping after the WEBVTT line', () => {
    expect(withTimestampMap('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n', 133200)).toBe(
      'WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:133200,LOCAL:00:00:00.000\n\n00:00:01.000 --> 00:00:02.000\nHi\n',
    );
  });

  it('replaces an existing mapping and keeps other header lines', () => {
    const vtt =
      'WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\nKind: captions\n\n00:00:01.000 --> 00:00:02.000\nHi';
    expect(withTimestampMap(vtt, 126000)).toBe(
      'WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000\nKind: captions\n\n00:00:01.000 --> 00:00:02.000\nHi',
    );
  });

  it('refuses what is not WebVTT', () => {
    expect(() => withTimestampMap('1\n00:00:01,000 --> 00:00:02,000\nHi', 0)).toThrow(/WEBVTT/);
  });
});
