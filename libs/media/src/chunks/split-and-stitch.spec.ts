import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildTranscodeArgs } from '../ffmpeg/transcode-args';
import { planLadder } from '../ladder/plan-ladder';
import { probeMedia } from '../probe/probe-media';
import { runFfmpeg } from '../runner/run-ffmpeg';
import { ffprobeJson, makeClip, makeTempDir, removeDir } from '../testing/lavfi-fixtures';
import { buildChunkAssemblyArgs, buildChunkAudioArgs, buildChunkEncodeArgs } from './chunk-args';
import { writeConcatList } from './concat-list';
import { scanKeyframes } from './keyframe-scan';
import { planChunks } from './plan-chunks';

jest.setTimeout(180_000);

interface Packets {
  packets: { pts_time: string; flags: string }[];
}
interface Streams {
  streams: { codec_type: string; nb_read_frames?: string; duration?: string }[];
}

/**
 * The split-and-stitch builders end to end on real ffmpeg: a 16 s clip (key frames at 0 and 10 s) cut in
 * two, each chunk encoded alone (video only), the audio once, joined with -c copy: the same frames as
 * the single pass, key frames on the job's 2 s grid across the join, and the audio as long as the video.
 */
describe('split and stitch (real ffmpeg)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(() => removeDir(dir));

  it('chunks encoded apart and joined have the single pass frame count, grid and audio', async () => {
    const source = await makeClip(join(dir, 'source.mp4'), { width: 640, height: 360, durationS: 16, fps: 25 });
    const media = await probeMedia(source);
    const { renditions } = planLadder(['360p'], media);

    const keyframes = await scanKeyframes(source, media);
    expect(keyframes).toEqual([0, 10]);
    const chunks = planChunks(keyframes, media.duration_s, 8);
    expect(chunks).toEqual([
      { index: 0, start_s: 0, end_s: 10 },
      { index: 1, start_s: 10, end_s: null },
    ]);

    const thumbnails = [
      [
        { number: 1, time_s: 1.6 },
        { number: 2, time_s: 4.8 },
      ],
      [{ number: 3, time_s: 11.2 }],
    ];
    for (const chunk of chunks) {
      const outDir = join(dir, 'chunks', String(chunk.index));
      await mkdir(outDir, { recursive: true });
      const args = buildChunkEncodeArgs({
        source,
        outDir,
        media,
        renditions,
        range: chunk,
        thumbnails: thumbnails[chunk.index],
      });
      if (chunk.index > 0)
        expect(args.slice(args.indexOf('-ss'), args.indexOf('-ss') + 2)).toEqual(['-ss', '10.000000']);
      await runFfmpeg(args);
    }
    expect((await readdir(join(dir, 'chunks', '0'))).sort()).toEqual(['360p.mp4', 'thumb-1.jpg', 'thumb-2.jpg']);
    expect((await readdir(join(dir, 'chunks', '1'))).sort()).toEqual(['360p.mp4', 'thumb-3.jpg']);

    await runFfmpeg(buildChunkAudioArgs({ source, outDir: dir, aacBitrate: 128_000 }));
    const joined = join(dir, 'joined.mp4');
    const list = await writeConcatList(dir, '360p.ffconcat', ['chunks/0/360p.mp4', 'chunks/1/360p.mp4']);
    await runFfmpeg(buildChunkAssemblyArgs({ videoChunks: list, audioTrack: join(dir, 'audio.m4a'), output: joined }));

    const singleDir = join(dir, 'single');
    await mkdir(singleDir);
    await runFfmpeg(
      buildTranscodeArgs({ source, outDir: singleDir, media, renditions, mp3: false, thumbnails: false }),
    );

    const frames = async (path: string) =>
      (
        await ffprobeJson<Streams>(path, [
          '-count_frames',
          '-show_entries',
          'stream=codec_type,nb_read_frames,duration',
        ])
      ).streams;
    const [joinedStreams, singleStreams] = [await frames(joined), await frames(join(singleDir, '360p.mp4'))];
    const video = (s: Streams['streams']) => s.find((x) => x.codec_type === 'video')!;
    const audio = (s: Streams['streams']) => s.find((x) => x.codec_type === 'audio')!;
    expect(Number(video(joinedStreams).nb_read_frames)).toBe(400);
    expect(video(joinedStreams).nb_read_frames).toBe(video(singleStreams).nb_read_frames);
    // Audio and video within one frame (40 ms at 25 fps) of each other.
    expect(Math.abs(Number(audio(joinedStreams).duration) - Number(video(joinedStreams).duration))).toBeLessThan(0.04);

    const { packets } = await ffprobeJson<Packets>(joined, [
      '-select_streams',
      'v:0',
      '-show_entries',
      'packet=pts_time,flags',
    ]);
    const keys = packets.filter((p) => p.flags.startsWith('K')).map((p) => Number(p.pts_time));
    expect(keys.sort((a, b) => a - b)).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
  });

  it('puts a chunk that starts off the grid on the grid (its own first frame is a key frame too)', async () => {
    const source = join(dir, 'source.mp4');
    const media = await probeMedia(source);
    const { renditions } = planLadder(['360p'], media);
    const outDir = join(dir, 'offgrid');
    await mkdir(outDir);
    await runFfmpeg(
      buildChunkEncodeArgs({
        source,
        outDir,
        media,
        renditions,
        range: { index: 1, start_s: 5, end_s: 11 },
        thumbnails: [],
      }),
    );
    const { packets } = await ffprobeJson<Packets>(join(outDir, '360p.mp4'), [
      '-select_streams',
      'v:0',
      '-show_entries',
      'packet=pts_time,flags',
    ]);
    const keys = packets.filter((p) => p.flags.startsWith('K')).map((p) => Number(p.pts_time) + 5);
    expect(keys.sort((a, b) => a - b)).toEqual([5, 6, 8, 10]);
    expect(packets).toHaveLength(150);
  });

  it('refuses a concat list entry that is absolute or climbs out of the directory', async () => {
    await expect(writeConcatList(dir, 'x.ffconcat', ['/etc/passwd'])).rejects.toThrow(/safe relative path/);
    await expect(writeConcatList(dir, 'x.ffconcat', ['../x.mp4'])).rejects.toThrow(/safe relative path/);
    await expect(writeConcatList(dir, 'x.ffconcat', ["a'.mp4"])).rejects.toThrow(/safe relative path/);
  });
});
