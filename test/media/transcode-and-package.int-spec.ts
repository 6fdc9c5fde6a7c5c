// End to end on real ffmpeg: one-pass transcode of a small 720p clip into
// 360p + 720p + MP3 + thumbnails, then HLS packaging of the renditions. It lives with the integration
// tests (it runs real encodes for about a minute) so that the unit tests stay fast; it needs ffmpeg only.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildHlsRemuxArgs,
  buildTranscodeArgs,
  firstVideoPts,
  hlsVariantLayout,
  MASTER_PLAYLIST_NAME,
  measureVariantBandwidth,
  planLadder,
  plannedOutputs,
  probeCodecs,
  probeMedia,
  renderMasterPlaylist,
  renderSubtitlePlaylist,
  runFfmpeg,
  withTimestampMap,
  type MasterVariant,
  type MediaInfo,
  type PlannedRendition,
} from '@tf/media';
import { globalOptions } from '../../libs/media/src/ffmpeg/global-options';
import {
  ffprobeJson,
  makeClip,
  makeRotatedCopy,
  makeTempDir,
  removeDir,
} from '../../libs/media/src/testing/lavfi-fixtures';

jest.setTimeout(120_000);

interface ProbedStream {
  codec_type: string;
  codec_name: string;
  profile?: string;
  level?: number;
  width?: number;
  height?: number;
  pix_fmt?: string;
  channels?: number;
  bit_rate?: string;
}
interface ProbeJson {
  streams: ProbedStream[];
  format: { duration: string; bit_rate: string };
}
const CLIP_SECONDS = 6;

async function streamsOf(path: string): Promise<ProbeJson> {
  return ffprobeJson<ProbeJson>(path, ['-show_streams', '-show_format']);
}

async function keyframeTimes(path: string): Promise<number[]> {
  const { packets } = await ffprobeJson<{ packets: { pts_time: string; flags: string }[] }>(path, [
    '-select_streams',
    'v:0',
    '-show_entries',
    'packet=pts_time,flags',
  ]);
  return packets.filter((p) => p.flags.startsWith('K')).map((p) => Number(p.pts_time));
}

describe('one-pass transcode and HLS packaging (real ffmpeg)', () => {
  let dir: string;
  let outDir: string;
  let media: MediaInfo;
  let renditions: PlannedRendition[];
  const percents: number[] = [];

  beforeAll(async () => {
    dir = await makeTempDir();
    outDir = join(dir, 'out');
    await mkdir(outDir);
    const source = await makeClip(join(dir, 'source.mp4'), {
      width: 1280,
      height: 720,
      durationS: CLIP_SECONDS,
      fps: 25,
    });
    media = await probeMedia(source);
    renditions = planLadder('360p,720p,1080p', media).renditions;
    await runFfmpeg(buildTranscodeArgs({ source, outDir, media, renditions }), {
      durationS: media.duration_s,
      onProgress: (p) => percents.push(p),
    });
  });
  afterAll(() => removeDir(dir));

  it('plans 360p and 720p and skips the 1080p upscale', () => {
    expect(renditions.map((r) => r.label)).toEqual(['360p', '720p']);
    expect(percents[percents.length - 1]).toBe(100);
  });

  it('writes H.264 High renditions at the planned sizes, with AAC stereo', async () => {
    for (const rendition of renditions) {
      const probe = await streamsOf(join(outDir, `${rendition.label}.mp4`));
      const video = probe.streams.find((s) => s.codec_type === 'video');
      const audio = probe.streams.find((s) => s.codec_type === 'audio');
      expect(video).toMatchObject({
        codec_name: 'h264',
        profile: 'High',
        level: rendition.h264_level,
        width: rendition.width,
        height: rendition.height,
        pix_fmt: 'yuv420p',
      });
      expect(audio).toMatchObject({ codec_name: 'aac', profile: 'LC', channels: 2 });
      expect(Number(probe.format.duration)).toBeCloseTo(CLIP_SECONDS, 0);
      expect((await probeCodecs(join(outDir, `${rendition.label}.mp4`))).codecs).toBe(rendition.codecs);
    }
  });

  it('puts a keyframe every 2 s, at the same instants in every rendition', async () => {
    for (const rendition of renditions) {
      const times = await keyframeTimes(join(outDir, `${rendition.label}.mp4`));
      expect(times).toHaveLength(3);
      times.forEach((t, i) => expect(t).toBeCloseTo(i * 2, 1));
    }
  });

  it('writes a 192 kbit/s MP3', async () => {
    const probe = await streamsOf(join(outDir, 'audio.mp3'));
    expect(probe.streams).toEqual([
      expect.objectContaining({ codec_type: 'audio', codec_name: 'mp3', bit_rate: '192000' }),
    ]);
    expect(Number(probe.format.duration)).toBeCloseTo(CLIP_SECONDS, 0);
  });

  it('writes exactly 5 JPEG thumbnails 640 px wide', async () => {
    const files = (await readdir(outDir)).filter((f) => f.endsWith('.jpg')).sort();
    expect(files).toEqual(['thumb-1.jpg', 'thumb-2.jpg', 'thumb-3.jpg', 'thumb-4.jpg', 'thumb-5.jpg']);
    for (const file of files) {
      const [image] = (await streamsOf(join(outDir, file))).streams;
      expect(image).toMatchObject({ codec_name: 'mjpeg', width: 640, height: 360 });
    }
  });

  it('writes exactly the files plannedOutputs lists', async () => {
    const planned = plannedOutputs({ source: '', outDir, media, renditions });
    const listed = [...planned.renditions.map((r) => r.path), planned.audio, ...planned.thumbnails].map((p) =>
      p?.slice(outDir.length + 1),
    );
    expect((await readdir(outDir)).sort()).toEqual([...listed].sort());
  });

  describe('HLS', () => {
    let hlsDir: string;
    let variants: MasterVariant[];

    beforeAll(async () => {
      hlsDir = join(dir, 'hls');
      variants = [];
      for (const rendition of renditions) {
        const layout = hlsVariantLayout(hlsDir, rendition.label);
        await mkdir(layout.dir, { recursive: true });
        await runFfmpeg(buildHlsRemuxArgs(join(outDir, `${rendition.label}.mp4`), hlsDir, { segmentSeconds: 4 }));
        const bandwidth = await measureVariantBandwidth(layout.playlistPath);
        expect(bandwidth.segmentCount).toBe(2); // 4 s + 2 s
        variants.push({
          uri: layout.uri,
          bandwidth: bandwidth.peak,
          averageBandwidth: bandwidth.average,
          width: rendition.width,
          height: rendition.height,
          codecs: rendition.codecs,
          frameRate: media.fps,
        });
      }
      await mkdir(join(hlsDir, 'subs'));
      const pts = await firstVideoPts(hlsVariantLayout(hlsDir, '360p').playlistPath);
      expect(pts).toBeGreaterThanOrEqual(126_000); // the MPEG-TS muxer's 1.4 s start, plus the B-frame delay
      await writeFile(
        join(hlsDir, 'subs', 'en.vtt'),
        withTimestampMap('WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nHello\n', pts),
      );
      await writeFile(join(hlsDir, 'subs', 'en.m3u8'), renderSubtitlePlaylist('en.vtt', media.duration_s));
      await writeFile(
        join(hlsDir, MASTER_PLAYLIST_NAME),
        renderMasterPlaylist(variants, { subtitles: { uri: 'subs/en.m3u8', language: 'en', name: 'English' } }),
      );
    });

    it('writes variant playlists with VOD segments', async () => {
      expect((await readdir(join(hlsDir, '720p'))).sort()).toEqual(['index.m3u8', 'seg-000.ts', 'seg-001.ts']);
    });

    it('writes a master with BANDWIDTH, RESOLUTION, CODECS and the subtitle group', async () => {
      const { readFile } = await import('node:fs/promises');
      const master = await readFile(join(hlsDir, MASTER_PLAYLIST_NAME), 'utf8');
      expect(master).toMatch(
        /#EXT-X-STREAM-INF:BANDWIDTH=\d+,AVERAGE-BANDWIDTH=\d+,RESOLUTION=640x360,FRAME-RATE=25.000,CODECS="avc1.64001e,mp4a.40.2",SUBTITLES="subs"\n360p\/index.m3u8/,
      );
      expect(master).toMatch(/RESOLUTION=1280x720,.*CODECS="avc1.64001f,mp4a.40.2"/);
      expect(master).toContain('#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs"');
      expect(variants[1].bandwidth).toBeGreaterThan(variants[0].bandwidth);
    });

    it('is playable: ffmpeg decodes the master without an error', async () => {
      const result = await runFfmpeg(
        [...globalOptions(), '-i', join(hlsDir, MASTER_PLAYLIST_NAME), '-f', 'null', '-'],
        {
          durationS: media.duration_s,
        },
      );
      expect(result.stderr).toBe('');
      expect(result.lastProgress?.outTimeUs).toBeGreaterThan((CLIP_SECONDS - 0.5) * 1e6);
    });
  });
});

describe('one-pass transcode of a rotated, silent phone clip (real ffmpeg)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(() => removeDir(dir));

  it('encodes upright at the portrait size, with no MP3', async () => {
    const landscape = await makeClip(join(dir, 'raw.mp4'), { width: 640, height: 360, durationS: 2, audio: false });
    const source = await makeRotatedCopy(landscape, join(dir, 'phone.mp4'));
    const media = await probeMedia(source);
    const { renditions } = planLadder('360p', media);
    expect(renditions).toEqual([expect.objectContaining({ width: 360, height: 640, codecs: 'avc1.64001e' })]);

    await runFfmpeg(buildTranscodeArgs({ source, outDir: dir, media, renditions }));

    const probe = await streamsOf(join(dir, '360p.mp4'));
    expect(probe.streams).toEqual([expect.objectContaining({ codec_type: 'video', width: 360, height: 640 })]);
    // No display matrix left over: the pixels themselves are upright.
    expect((await probeMedia(join(dir, '360p.mp4'))).rotation).toBe(0);
    const [thumb] = (await streamsOf(join(dir, 'thumb-1.jpg'))).streams;
    expect(thumb).toMatchObject({ width: 640, height: 1138 });
    expect((await readdir(dir)).filter((f) => f.endsWith('.mp3'))).toEqual([]);
  });
});
