import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildTranscodeArgs } from '../ffmpeg/transcode-args';
import { planLadder } from '../ladder/plan-ladder';
import { probeMedia } from '../probe/probe-media';
import { runFfmpeg } from '../runner/run-ffmpeg';
import { ffprobeJson, makeClip, makeTempDir, removeDir } from '../testing/lavfi-fixtures';
import {
  endedChildrenCpuSeconds,
  frameIndexAt,
  joinQuality,
  keyframeTimes,
  psnrPerFrame,
  videoFrames,
} from '../testing/media-measurements';
import type { MediaInfo } from '../media-info';
import type { PlannedRendition } from '../ladder/plan-ladder';
import { buildChunkAssemblyArgs, buildChunkAudioArgs, buildChunkEncodeArgs, chunkWindowOf } from './chunk-args';
import { chunkKeep } from './chunk-outpoint';
import { type ChunkRoll, joinAt } from './chunk-window';
import { type ConcatEntry, writeConcatList } from './concat-list';
import { scanKeyframes } from './keyframe-scan';
import { type ChunkRange, planChunks } from './plan-chunks';

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
      // The join at 10 s is on the grid: chunk 1 starts its encode 20 frames (0.8 s) before it, chunk 0 ends 12 after.
      if (chunk.index > 0)
        expect(args.slice(args.indexOf('-ss'), args.indexOf('-ss') + 2)).toEqual(['-ss', '9.200000']);
      else expect(args.slice(args.indexOf('-to'), args.indexOf('-to') + 2)).toEqual(['-to', '10.480000']);
      await runFfmpeg(args);
    }
    expect((await readdir(join(dir, 'chunks', '0'))).sort()).toEqual(['360p.mp4', 'thumb-1.jpg', 'thumb-2.jpg']);
    expect((await readdir(join(dir, 'chunks', '1'))).sort()).toEqual(['360p.mp4', 'thumb-3.jpg']);

    await runFfmpeg(buildChunkAudioArgs({ source, outDir: dir, aacBitrate: 128_000 }));
    const joined = join(dir, 'joined.mp4');
    const list = await writeConcatList(
      dir,
      '360p.ffconcat',
      await Promise.all(
        chunks.map(async (range) => {
          const path = `chunks/${range.index}/360p.mp4`;
          const keep = await chunkKeep(join(dir, path), chunkWindowOf({ media, range }));
          return { path, inpointS: keep.inpoint_s, outpointS: keep.outpoint_s, durationS: keep.duration_s };
        }),
      ),
    );
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

  it('puts a chunk that starts off the grid on the grid, joined at the next grid instants (rolls around them)', async () => {
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
    // Joined at the next grid instants, 6 and 12 s: encoded from 5.2 s (20 frames of pre-roll) to 12.48 s (12
    // of post-roll).
    const keys = packets
      .filter((p) => p.flags.startsWith('K'))
      .map((p) => Math.round((Number(p.pts_time) + 5.2) * 1000) / 1000);
    expect(keys.sort((a, b) => a - b)).toEqual([5.2, 6, 8, 10, 12]);
    expect(packets).toHaveLength(182);
  });

  /**
   * Issue 12: no frame at a join differs from the single pass by more than 1 dB PSNR beyond the clip average.
   * A 20 s clip (source GOP 2 s) cut at 6 and 12 s; each chunk encoded alone (default pre-roll and post-roll,
   * dropped by the concat list), and as it was before the rolls ({0, 0}: the join's first frame ≈ 2.4 dB and
   * the frame before it ≈ 1.1 dB below the single pass), to show that this clip and measurement see the fault.
   * CPU time of the ffmpeg runs is printed (README "Split and stitch"), never asserted.
   */
  it('keeps every frame within two of a join within 1 dB of the single pass, beyond the clip average', async () => {
    const source = await makeClip(join(dir, 'joins-source.mp4'), {
      width: 640,
      height: 360,
      durationS: 20,
      fps: 25,
      audio: false,
      keyframeEveryFrames: 50,
    });
    const media = await probeMedia(source);
    const { renditions } = planLadder(['360p'], media);
    const chunks = planChunks(await scanKeyframes(source, media), media.duration_s, 6);
    expect(chunks.map((c) => c.start_s)).toEqual([0, 6, 12]);

    const singleDir = join(dir, 'joins-single');
    await mkdir(singleDir);
    let cpu0 = endedChildrenCpuSeconds();
    await runFfmpeg(
      buildTranscodeArgs({ source, outDir: singleDir, media, renditions, mp3: false, thumbnails: false }),
    );
    const singleCpuS = endedChildrenCpuSeconds() - cpu0;
    const single = join(singleDir, '360p.mp4');

    cpu0 = endedChildrenCpuSeconds();
    const rolled = await encodeChunked(join(dir, 'joins-rolled'), { source, media, renditions, chunks });
    const rolledCpuS = endedChildrenCpuSeconds() - cpu0;
    cpu0 = endedChildrenCpuSeconds();
    const bare = await encodeChunked(
      join(dir, 'joins-bare'),
      { source, media, renditions, chunks },
      { preS: 0, postS: 0 },
    );
    const bareCpuS = endedChildrenCpuSeconds() - cpu0;

    const [singleFrames, rolledFrames, bareFrames] = await Promise.all([single, rolled, bare].map(videoFrames));
    expect(singleFrames).toHaveLength(500);
    expect(rolledFrames).toHaveLength(500);
    expect(bareFrames).toHaveLength(500);
    expect(keyframeTimes(rolledFrames)).toEqual(keyframeTimes(singleFrames));
    expect(keyframeTimes(rolledFrames)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);

    const [singlePsnr, rolledPsnr, barePsnr] = await psnrPerFrame({
      reference: source,
      encodes: [single, rolled, bare],
      width: renditions[0].width,
      height: renditions[0].height,
      statsFiles: ['single', 'rolled', 'bare'].map((n) => join(dir, `joins-${n}.psnr`)),
    });
    const joinIndices = chunks.slice(1).map((c) => frameIndexAt(singleFrames, c.start_s));
    expect(joinIndices).toEqual([150, 300]);
    const after = joinQuality(singlePsnr, rolledPsnr, joinIndices);
    const before = joinQuality(singlePsnr, barePsnr, joinIndices);
    const figures = (q: typeof after) =>
      `worst join frame ${q.worstExcessDb.toFixed(2)} dB below the single pass beyond the mean gap ` +
      `${q.meanGapDb.toFixed(3)} dB [${q.joins.map((j) => `${j.n}:${j.gapDb.toFixed(2)}`).join(' ')}]`;
    console.log(
      [
        `joins with pre/post-roll: ${figures(after)}; CPU ${rolledCpuS.toFixed(2)} s vs single ${singleCpuS.toFixed(2)} s = ${(rolledCpuS / singleCpuS).toFixed(3)}`,
        `joins without (before): ${figures(before)}; CPU ${bareCpuS.toFixed(2)} s = ${(bareCpuS / singleCpuS).toFixed(3)}`,
      ].join('\n'),
    );
    expect(before.worstExcessDb).toBeGreaterThan(1);
    expect(after.worstExcessDb).toBeLessThanOrEqual(1);
  });

  it('joins chunks cut off the grid (source GOP 4.4 s) at the next grid instant, within 1 dB', async () => {
    const source = await makeClip(join(dir, 'offgrid-source.mp4'), {
      width: 640,
      height: 360,
      durationS: 24,
      fps: 25,
      audio: false,
      keyframeEveryFrames: 110,
    });
    const media = await probeMedia(source);
    const { renditions } = planLadder(['360p'], media);
    const chunks = planChunks(await scanKeyframes(source, media), media.duration_s, 8);
    expect(chunks.map((c) => c.start_s)).toEqual([0, 8.8, 17.6]);
    const singleDir = join(dir, 'offgrid-single');
    await mkdir(singleDir);
    await runFfmpeg(
      buildTranscodeArgs({ source, outDir: singleDir, media, renditions, mp3: false, thumbnails: false }),
    );
    const single = join(singleDir, '360p.mp4');
    const rolled = await encodeChunked(join(dir, 'offgrid-rolled'), { source, media, renditions, chunks });

    const [singleFrames, rolledFrames] = await Promise.all([single, rolled].map(videoFrames));
    expect(rolledFrames).toHaveLength(600);
    expect(singleFrames).toHaveLength(600);
    // The single pass's: the joins (10 and 18 s, after the cuts at 8.8 and 17.6 s) are grid instants.
    expect(keyframeTimes(rolledFrames)).toEqual(keyframeTimes(singleFrames));
    expect(keyframeTimes(rolledFrames)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22]);
    const [singlePsnr, rolledPsnr] = await psnrPerFrame({
      reference: source,
      encodes: [single, rolled],
      width: renditions[0].width,
      height: renditions[0].height,
      statsFiles: ['single', 'rolled'].map((n) => join(dir, `offgrid-${n}.psnr`)),
    });
    const joinIndices = chunks.slice(1).map((c) => frameIndexAt(singleFrames, joinAt(c.start_s, media.duration_s)));
    expect(joinIndices).toEqual([250, 450]);
    const q = joinQuality(singlePsnr, rolledPsnr, joinIndices);
    console.log(
      `joins off the grid with rolls: worst ${q.worstExcessDb.toFixed(2)} dB beyond the mean gap ` +
        `${q.meanGapDb.toFixed(3)} [${q.joins.map((j) => `${j.n}:${j.gapDb.toFixed(2)}`).join(' ')}]`,
    );
    expect(q.worstExcessDb).toBeLessThanOrEqual(1);
  });

  it('writes the kept part of each chunk as ffconcat inpoint/outpoint, and refuses a cut that is not a time', async () => {
    const list = await writeConcatList(dir, 'cuts.ffconcat', [
      { path: 'a.mp4', outpointS: 6.4 },
      { path: 'b.mp4', inpointS: 0.8, outpointS: 6.72, durationS: 6 },
      'c.mp4',
    ]);
    expect(await readFile(list.location, 'utf8')).toBe(
      "ffconcat version 1.0\nfile 'a.mp4'\noutpoint 6.400000\nfile 'b.mp4'\ninpoint 0.800000\noutpoint 6.720000\nduration 6.000000\nfile 'c.mp4'\n",
    );
    const cut = (entry: ConcatEntry) => writeConcatList(dir, 'x.ffconcat', [entry]);
    await expect(cut({ path: 'a.mp4', inpointS: -1 })).rejects.toThrow(/not a cut point/);
    await expect(cut({ path: 'a.mp4', outpointS: Number.NaN })).rejects.toThrow(/not a cut point/);
    await expect(cut({ path: 'a.mp4', inpointS: 2, outpointS: 2 })).rejects.toThrow(/must follow/);
    await expect(cut({ path: 'a.mp4', durationS: 0 })).rejects.toThrow(/not a duration/);
    await expect(cut({ path: '../a.mp4', inpointS: 1 })).rejects.toThrow(/safe relative path/);
  });

  it('refuses a concat list entry that is absolute or climbs out of the directory', async () => {
    await expect(writeConcatList(dir, 'x.ffconcat', ['/etc/passwd'])).rejects.toThrow(/safe relative path/);
    await expect(writeConcatList(dir, 'x.ffconcat', ['../x.mp4'])).rejects.toThrow(/safe relative path/);
    await expect(writeConcatList(dir, 'x.ffconcat', ["a'.mp4"])).rejects.toThrow(/safe relative path/);
  });
});

/** Each chunk encoded alone (with `roll`, or the default), joined with -c copy as the assembler does, video only. */
async function encodeChunked(
  dir: string,
  job: { source: string; media: MediaInfo; renditions: PlannedRendition[]; chunks: ChunkRange[] },
  roll?: ChunkRoll,
): Promise<string> {
  const entries: ConcatEntry[] = [];
  for (const range of job.chunks) {
    const outDir = join(dir, String(range.index));
    await mkdir(outDir, { recursive: true });
    const plan = {
      source: job.source,
      outDir,
      media: job.media,
      renditions: job.renditions,
      range,
      thumbnails: [],
      roll,
    };
    await runFfmpeg(buildChunkEncodeArgs(plan));
    const path = `${range.index}/360p.mp4`;
    const keep = await chunkKeep(join(dir, path), chunkWindowOf(plan));
    entries.push({ path, inpointS: keep.inpoint_s, outpointS: keep.outpoint_s, durationS: keep.duration_s });
  }
  const output = join(dir, 'joined.mp4');
  await runFfmpeg(
    buildChunkAssemblyArgs({
      videoChunks: await writeConcatList(dir, 'list.ffconcat', entries),
      audioTrack: null,
      output,
    }),
  );
  return output;
}
