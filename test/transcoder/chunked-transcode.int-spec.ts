// Split-and-stitch on the real stack (issue 12 §1): a source longer than TF_CHUNK_THRESHOLD_SECONDS is cut
// at its key frames into chunks (tf.video.chunks, keyed <job_id>:<index>), encoded by three transcoder
// processes of the group, one of which is SIGKILLed in the middle of a chunk, then stitched and packaged.
// The result is compared with a single-pass encode of the same source made here with the same builder
// (buildTranscodeArgs, what the transcoder runs for a short job):
//   - the same frame count and the same frame times, per rendition;
//   - audio and video durations within one frame of each other;
//   - no frame at a join worse than the single pass by more than 1 dB beyond the clip's mean gap
//     (per-frame PSNR of both encodes against the source);
//   - key frames at the same instants in every rendition, on the job's 2 s grid;
//   - every HLS variant decodes end to end, with every frame;
//   - the killed chunk is encoded again by another replica, and the job yields exactly one RenditionsReady.
// The source (TF_CHUNK_PROOF_SECONDS, default 72 s of 1280x720 25 fps, a key frame every 4.6 s so that
// a chunk join can fall off the 2 s output grid) is made here with ffmpeg; threshold and target are lowered
// by env (40 s / 24 s) so that a clip CI can afford is cut in three (0, 23.0 off the grid, 46.0 on it).
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { JobSpec, RenditionsReady, VideoPackaged, VideoValidated, newEnvelope } from '@tf/contracts';
import {
  MediaInfo,
  PlannedRendition,
  buildTranscodeArgs,
  joinAt,
  planLadder,
  probeMedia,
  runFfmpeg,
  runFfprobe,
} from '@tf/media';
import { databaseUrl } from '@tf/persistence';
import { Buckets, ObjectStorage } from '@tf/storage';
import { Client } from 'pg';
import { makeClip, makeTempDir, removeDir } from '../../libs/media/src/testing/lavfi-fixtures';
import {
  FramePsnr,
  StreamDurations,
  VideoFrame,
  decodeAll,
  frameIndexAt,
  joinQuality,
  keyframeTimes,
  psnrPerFrame,
  streamDurations,
  videoFrames,
} from '../../libs/media/src/testing/media-measurements';
import { FAST_EVICTION_ENV } from '../support/consumer-env';
import { Collected, EventBus } from '../support/event-bus';
import { argAfter, childrenOf } from '../support/process-tree';
import { ServiceProcess, startTsProcess } from '../support/processes';
import { waitFor } from '../support/wait';

const SOURCE_S = Number(process.env.TF_CHUNK_PROOF_SECONDS ?? 72);
const FPS = 25;
/** Source key frames every 4.6 s: the join near 24 s lands at 23.0 s, between two points of the 2 s grid. */
const SOURCE_GOP_FRAMES = 115;
const REPLICAS = 3;
const CHUNK_TOPIC = 'tf.video.chunks';
const CHUNK_ENV = { TF_CHUNK_THRESHOLD_SECONDS: '40', TF_CHUNK_TARGET_SECONDS: '24' };
const LABELS = ['360p', '720p'];
const JOB_TIMEOUT_MS = 40 * 60_000;

const spec: JobSpec = {
  tenant_id: 'itest',
  target_resolutions: LABELS,
  enable_hls: true,
  enable_transcription: false,
  webhook_url: null,
  priority: 'normal',
  language: null,
};

/** A chunk encode seen running: which replica, which ffmpeg, from where in the source (`-ss`). */
interface SeenEncode {
  replica: number;
  pid: number;
  /** The chunk's start in the source (s). */
  seek: number;
  firstSeenAt: number;
}

/**
 * Polls the replicas' children for ffmpeg processes encoding video chunks of `jobId` (libx264 reading the
 * job's source: only chunk encodes do that for a split job; chunk 0 has no `-ss`).
 */
function watchChunkEncodes(replicas: ServiceProcess[], jobId: string): { seen: SeenEncode[]; stop: () => void } {
  const seen: SeenEncode[] = [];
  const timer = setInterval(() => {
    replicas.forEach((replica, index) => {
      if (replica.child.exitCode !== null || replica.child.signalCode !== null || !replica.child.pid) return;
      for (const { pid, argv } of childrenOf(replica.child.pid)) {
        const isChunkEncode = argv.includes('libx264') && argv.some((a) => a.includes(jobId));
        if (isChunkEncode && !seen.some((s) => s.pid === pid))
          seen.push({ replica: index, pid, seek: Number(argAfter(argv, '-ss') ?? 0), firstSeenAt: Date.now() });
      }
    });
  }, 250);
  return { seen, stop: () => clearInterval(timer) };
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A part of the split job as published on tf.video.chunks (TranscodeChunkRequested, read without its type). */
type Part = { key: string; value: Record<string, unknown> };
const isVideoChunk = (p: Part) => p.value.part === 'video';
/** Where a chunk starts in the source (s). */
const chunkStartS = (p: Part): number => Number(p.value.start_s);

describe('chunked transcode (split at key frames, three transcoders, one SIGKILLed, stitched)', () => {
  const jobId = `itest-chunked-${randomUUID().slice(0, 8)}`;
  const storage = new ObjectStorage();
  const bus = new EventBus();
  let db: Client;
  let dir: string;
  let workDir: string;
  let source: string;
  let media: MediaInfo;
  let planned: PlannedRendition[];
  const replicas: ServiceProcess[] = [];
  let hls: ServiceProcess;
  let ready: Collected<RenditionsReady>;
  let packaged: Collected<VideoPackaged>;
  let parts: Part[];
  let result: RenditionsReady;
  let killed: SeenEncode;
  let killedAt: number;
  let encodes: SeenEncode[];
  let hlsRoot: string;
  /** Per label: the single pass's and the chunked rendition's local files. */
  const files = new Map<string, { single: string; chunked: string }>();

  beforeAll(
    async () => {
      await storage.ensureBuckets();
      db = new Client({ connectionString: databaseUrl() });
      await db.connect();
      dir = await makeTempDir('tf-itest-chunked-');
      workDir = await makeTempDir('tf-itest-chunked-work-');
      source = await makeClip(join(dir, 'source.mp4'), {
        width: 1280,
        height: 720,
        durationS: SOURCE_S,
        fps: FPS,
        keyframeEveryFrames: SOURCE_GOP_FRAMES,
        faststart: true,
      });
      media = await probeMedia(source);
      planned = planLadder(LABELS, media).renditions;

      const jobs = new Set([jobId]);
      [ready, packaged, parts] = await Promise.all([
        bus.collect('RenditionsReady', jobs),
        bus.collect('VideoPackaged', jobs),
        bus.collectKeyed(CHUNK_TOPIC, `${jobId}:`),
      ]);
      for (let i = 0; i < REPLICAS; i++) {
        replicas.push(
          startTsProcess('apps/transcoder/src/main.ts', {
            ...FAST_EVICTION_ENV,
            ...CHUNK_ENV,
            TF_HTTP_PORT: '0',
            TF_WORK_DIR: workDir,
          }),
        );
      }
      hls = startTsProcess('apps/hls/src/main.ts', { ...FAST_EVICTION_ENV, TF_HTTP_PORT: '0', TF_WORK_DIR: workDir });
      await Promise.all([...replicas, hls].map((p) => p.waitForOutput(/joined group tf-(transcoder|hls)/)));

      const raw = await storage.putFile(Buckets.raw, `${jobId}/source.mp4`, source, 'video/mp4');
      const validated: VideoValidated = { ...newEnvelope(jobId), source: raw, spec, media, only_stage: null };
      const watch = watchChunkEncodes(replicas, jobId);
      await bus.publish('VideoValidated', validated);

      // The reference, meanwhile: the single pass the transcoder runs for a short job, on the same source.
      const singleDir = join(dir, 'single');
      await mkdir(singleDir);
      const singlePass = runFfmpeg(buildTranscodeArgs({ source, outDir: singleDir, media, renditions: planned }), {
        durationS: media.duration_s,
      });

      // SIGKILL the replica of the first chunk encode that has been running for 3 s, and its ffmpeg with it
      // (a container killed with its children), so that chunk has to be redone by another replica.
      killed = await waitFor(
        'a chunk encode running for 3 s',
        async () => watch.seen.find((s) => Date.now() - s.firstSeenAt > 3_000 && isAlive(s.pid)),
        JOB_TIMEOUT_MS,
        200,
      );
      killedAt = Date.now();
      await replicas[killed.replica].kill('SIGKILL');
      if (isAlive(killed.pid)) process.kill(killed.pid, 'SIGKILL');
      console.log(
        `SIGKILLed replica ${killed.replica} (pid ${replicas[killed.replica].child.pid}) encoding -ss ${killed.seek}`,
      );

      [result] = await ready.waitFor(jobId, 1, () => true, JOB_TIMEOUT_MS);
      await packaged.waitFor(jobId, 1, () => true, JOB_TIMEOUT_MS);
      watch.stop();
      encodes = watch.seen;
      await singlePass;

      for (const r of result.renditions) {
        const chunked = join(dir, 'chunked', `${r.label}.mp4`);
        await mkdir(dirname(chunked), { recursive: true });
        await storage.download(Buckets.processed, r.object.key, chunked);
        files.set(r.label, { single: join(singleDir, `${r.label}.mp4`), chunked });
      }
      // The HLS tree as the hls stage wrote it (relative URIs), decoded locally.
      hlsRoot = join(dir, 'hls');
      for (const key of await storage.listKeys(Buckets.hls, `${jobId}/`)) {
        const path = join(hlsRoot, key.slice(jobId.length + 1));
        await mkdir(dirname(path), { recursive: true });
        await storage.download(Buckets.hls, key, path);
      }
    },
    JOB_TIMEOUT_MS + 10 * 60_000,
  );

  afterAll(async () => {
    await Promise.all([...replicas, hls].filter(Boolean).map((p) => p.kill()));
    await bus.close();
    await db?.end();
    if (dir) await removeDir(dir);
    if (workDir) await removeDir(workDir);
  });

  it('cut the job into chunks at source key frames, each its own message keyed <job_id>:<index>, plus one audio part', async () => {
    const sourceKeyframes = keyframeTimes(await videoFrames(source));
    const chunks = parts.filter(isVideoChunk);
    console.log(
      `parts: ${parts.map((p) => `${p.key}${isVideoChunk(p) ? ` @${chunkStartS(p)} s` : ''}`).join(', ')}; ` +
        `chunk encodes seen: ${encodes.map((e) => `replica ${e.replica} from ${e.seek} s`).join(', ')}`,
    );
    const keys = chunks.map((c) => c.key);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect([...keys].sort()).toEqual(Array.from({ length: keys.length }, (_, i) => `${jobId}:${i}`).sort());
    expect(chunks.every((c) => c.value.chunk_count === keys.length)).toBe(true);
    expect(parts.filter((p) => p.key === `${jobId}:audio`)).toHaveLength(1);
    for (const c of chunks) expect(sourceKeyframes.some((k) => Math.abs(k - chunkStartS(c)) < 0.5 / FPS)).toBe(true);
    // Joins fall where the source has key frames, not necessarily on the 2 s grid (4.6 s source GOP).
    expect(chunks.some((c) => Math.abs(chunkStartS(c) / 2 - Math.round(chunkStartS(c) / 2)) > 0.01)).toBe(true);
  });

  it('encoded the SIGKILLed chunk again on another replica, and the job yielded exactly one RenditionsReady', async () => {
    // The chunk encoded again by another replica after the kill. (The killed replica may have started a
    // second ffmpeg for it in the instant between its first ffmpeg's death and its own: that one died too.)
    const redone = encodes.filter(
      (e) => Math.abs(e.seek - killed.seek) < 1e-3 && e.replica !== killed.replica && e.firstSeenAt > killedAt,
    );
    expect(redone.length).toBeGreaterThanOrEqual(1);
    // The fan-in asked for the assembly once (the last part's transaction), whatever was redelivered.
    expect(parts.filter((p) => p.key === `${jobId}:assemble`)).toHaveLength(1);
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM transcoder.outbox WHERE aggregateid = $1 AND type = 'RenditionsReady'`,
      [jobId],
    );
    expect(rows[0].n).toBe(1);
    expect(ready.of(jobId)).toHaveLength(1);
    expect(result.renditions.map((r) => r.label)).toEqual(LABELS);
  });

  describe.each(LABELS)('the %s rendition', (label) => {
    let single: { frames: VideoFrame[]; durations: StreamDurations };
    let chunked: { frames: VideoFrame[]; durations: StreamDurations };

    beforeAll(async () => {
      const f = files.get(label)!;
      const measure = async (path: string) => ({
        frames: await videoFrames(path),
        durations: await streamDurations(path),
      });
      [single, chunked] = await Promise.all([measure(f.single), measure(f.chunked)]);
    });

    it('has the same frame count as the single pass, at the same times', () => {
      expect(chunked.frames.length).toBe(single.frames.length);
      expect(chunked.durations.videoFrames).toBe(single.durations.videoFrames);
      const drift = Math.max(...chunked.frames.map((f, i) => Math.abs(f.ptsS - single.frames[i].ptsS)));
      expect(drift).toBeLessThan(single.durations.frameS / 2);
    });

    it('has audio and video durations within one frame of each other (and of the single pass)', () => {
      const frameS = single.durations.frameS;
      console.log(
        `${label} durations: chunked ${JSON.stringify(chunked.durations)}; single ${JSON.stringify(single.durations)}`,
      );
      expect(Math.abs(chunked.durations.audioS! - chunked.durations.videoS)).toBeLessThan(frameS);
      expect(Math.abs(chunked.durations.videoS - single.durations.videoS)).toBeLessThan(frameS);
    });

    it('has its key frames on the job’s 2 s grid, at the same instants as the other renditions', async () => {
      const keys = keyframeTimes(chunked.frames);
      const grid = Array.from({ length: Math.ceil(media.duration_s / 2) }, (_, i) => i * 2);
      for (const t of grid) expect(keys.some((k) => Math.abs(k - t) < 0.5 / FPS)).toBe(true);
      for (const other of LABELS.filter((l) => l !== label))
        expect(keyframeTimes(await videoFrames(files.get(other)!.chunked))).toEqual(keys);
    });

    it('is no worse at the chunk joins than the single pass by more than 1 dB beyond the clip’s mean gap (PSNR vs the source)', async () => {
      const f = files.get(label)!;
      const r = planned.find((p) => p.label === label)!;
      const [singlePsnr, chunkedPsnr]: FramePsnr[][] = await psnrPerFrame(
        {
          reference: source,
          encodes: [f.single, f.chunked],
          width: r.width,
          height: r.height,
          statsFiles: [join(dir, `${label}-single.psnr`), join(dir, `${label}-chunked.psnr`)],
        },
        media.duration_s,
      );
      expect(chunkedPsnr).toHaveLength(single.frames.length);
      const chunks = parts.filter(isVideoChunk);
      // A cut at a source key frame off the 2 s grid is joined at the next grid instant (joinAt).
      const joins = chunks
        .map(chunkStartS)
        .filter((s) => s > 0)
        .map((s) => frameIndexAt(single.frames, joinAt(s, media.duration_s)));
      expect(joins.length).toBe(chunks.length - 1);
      const q = joinQuality(singlePsnr, chunkedPsnr, joins);
      const mean = (xs: FramePsnr[]) => xs.reduce((s, x) => s + Math.min(x.avg, 100), 0) / xs.length;
      console.log(
        `${label} PSNR vs source: single ${mean(singlePsnr).toFixed(2)} dB, chunked ${mean(chunkedPsnr).toFixed(2)} dB; ` +
          `mean gap ${q.meanGapDb.toFixed(3)} dB; worst join excess ${q.worstExcessDb.toFixed(3)} dB at joins ${joins.join(', ')}`,
      );
      expect(q.worstExcessDb).toBeLessThanOrEqual(1);
    });

    it('decodes end to end as an HLS variant, every frame, without an error', async () => {
      const variant = packaged.of(jobId)[0].variants.find((v) => v.label === label)!;
      expect(variant.playlist.key).toMatch(new RegExp(`^${jobId}/`));
      const decoded = await decodeAll(join(hlsRoot, variant.playlist.key.slice(jobId.length + 1)), {
        hls: true,
        durationS: media.duration_s,
      });
      expect(decoded.errors).toBe('');
      expect(decoded.frames).toBe(single.frames.length);
    });
  });

  it('made the thumbnails and the MP3 of a single pass (5 thumbnails, MP3 as long as the source)', async () => {
    expect(result.thumbnails).toHaveLength(5);
    expect(result.audio).not.toBeNull();
    const mp3 = join(dir, 'audio.mp3');
    await storage.download(Buckets.processed, result.audio!.key, mp3);
    // probeMedia wants a video stream; the MP3's own duration is the format's.
    const { format } = await runFfprobe(mp3, ['-show_format']);
    expect(Math.abs(Number(format.duration) - media.duration_s)).toBeLessThan(0.1);
  });
});
