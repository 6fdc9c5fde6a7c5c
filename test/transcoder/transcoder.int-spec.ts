// The transcoder service on the real stack: VideoValidated in, one ffmpeg pass, outputs in
// processed-videos, RenditionsReady + JobProgress out. Small generated clips keep it quick.
import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { JobProgress, JobSpec, RenditionsReady, VideoValidated, newEnvelope } from '@tf/contracts';
import { probeMedia } from '@tf/media';
import { databaseUrl } from '@tf/persistence';
import { Buckets, ObjectStorage } from '@tf/storage';
import { Client } from 'pg';
import { ffprobeJson, makeClip, makeTempDir, removeDir } from '../../libs/media/src/testing/lavfi-fixtures';
import { ServiceProcess, startTsProcess } from '../support/processes';
import { waitFor } from '../support/wait';
import { Collected, EventBus } from '../support/event-bus';

interface Stream {
  codec_type: string;
  codec_name: string;
  profile?: string;
  width?: number;
  height?: number;
  bit_rate?: string;
}

const spec = (target_resolutions: string[]): JobSpec => ({
  tenant_id: 'itest',
  target_resolutions,
  enable_hls: true,
  enable_transcription: false,
  webhook_url: null,
  priority: 'normal',
  language: null,
});

describe('transcoder service (real ffmpeg, S3, Kafka)', () => {
  const run = randomUUID().slice(0, 8);
  const job720 = `itest-tc-${run}-720`;
  const jobSmall = `itest-tc-${run}-small`;
  const storage = new ObjectStorage();
  const bus = new EventBus();
  let db: Client;
  let dir: string;
  let workDir: string;
  let transcoder: ServiceProcess;
  let ready: Collected<RenditionsReady>;
  let progress: Collected<JobProgress>;

  async function validated(jobId: string, clip: string, targets: string[]): Promise<VideoValidated> {
    const source = await storage.putFile(Buckets.raw, `${jobId}/source.mp4`, clip, 'video/mp4');
    return { ...newEnvelope(jobId), source, spec: spec(targets), media: await probeMedia(clip), only_stage: null };
  }

  const probeStreams = async (key: string): Promise<Stream[]> =>
    (await ffprobeJson<{ streams: Stream[] }>(await storage.presignGet(Buckets.processed, key), ['-show_streams']))
      .streams;

  beforeAll(async () => {
    await storage.ensureBuckets();
    db = new Client({ connectionString: databaseUrl() });
    await db.connect();
    dir = await makeTempDir('tf-itest-transcoder-');
    workDir = await makeTempDir('tf-itest-transcoder-work-');
    const jobs = new Set([job720, jobSmall]);
    [ready, progress] = await Promise.all([bus.collect('RenditionsReady', jobs), bus.collect('JobProgress', jobs)]);
    transcoder = startTsProcess('apps/transcoder/src/main.ts', { TF_HTTP_PORT: '0', TF_WORK_DIR: workDir });
    await transcoder.waitForOutput(/joined group tf-transcoder/);
  });

  afterAll(async () => {
    await transcoder?.kill();
    await bus.close();
    await db?.end();
    await removeDir(dir);
    await removeDir(workDir);
  });

  describe('a 720p clip with audio asked for 360p, 720p and 1080p', () => {
    let event: VideoValidated;
    let result: RenditionsReady;

    beforeAll(async () => {
      const clip = await makeClip(join(dir, '720.mp4'), { width: 1280, height: 720, durationS: 3, fps: 25 });
      event = await validated(job720, clip, ['360p', '720p', '1080p']);
      await bus.publish('VideoValidated', event);
      [result] = await ready.waitFor(job720);
    });

    it('emits RenditionsReady with 360p and 720p, and 1080p skipped as an upscale', () => {
      expect(result).toMatchObject({ job_id: job720, spec: event.spec, media: event.media });
      expect(result.renditions.map((r) => [r.label, r.width, r.height, r.codecs])).toEqual([
        ['360p', 640, 360, 'avc1.64001e,mp4a.40.2'],
        ['720p', 1280, 720, 'avc1.64001f,mp4a.40.2'],
      ]);
      expect(result.renditions.map((r) => [r.video_bitrate, r.audio_bitrate])).toEqual([
        [800_000, 128_000],
        [2_800_000, 128_000],
      ]);
      expect(result.skipped).toEqual([{ label: '1080p', reason: 'UPSCALE_NOT_ALLOWED' }]);
    });

    it('stores every output under processed-videos/{job_id}/ with deterministic keys', async () => {
      expect(result.renditions.map((r) => r.object.key)).toEqual([`${job720}/360p.mp4`, `${job720}/720p.mp4`]);
      expect(result.audio).toMatchObject({
        bucket: Buckets.processed,
        key: `${job720}/audio.mp3`,
        content_type: 'audio/mpeg',
      });
      expect(result.thumbnails.map((t) => t.key)).toEqual([1, 2, 3, 4, 5].map((n) => `${job720}/thumb-${n}.jpg`));
      const keys = (await storage.listKeys(Buckets.processed, `${job720}/`)).sort();
      expect(keys).toEqual(
        [
          ...result.renditions.map((r) => r.object.key),
          result.audio!.key,
          ...result.thumbnails.map((t) => t.key),
        ].sort(),
      );
      for (const ref of [...result.renditions.map((r) => r.object), result.audio!, ...result.thumbnails])
        expect(ref.bytes).toBeGreaterThan(0);
    });

    it('wrote H.264 High + AAC renditions at the reported sizes, a 192k MP3 and 640 px thumbnails (ffprobe over S3)', async () => {
      for (const rendition of result.renditions) {
        const streams = await probeStreams(rendition.object.key);
        expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({
          codec_name: 'h264',
          profile: 'High',
          width: rendition.width,
          height: rendition.height,
        });
        expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
      }
      expect(await probeStreams(result.audio!.key)).toEqual([
        expect.objectContaining({ codec_name: 'mp3', bit_rate: '192000' }),
      ]);
      for (const thumb of result.thumbnails) {
        expect(await probeStreams(thumb.key)).toEqual([
          expect.objectContaining({ codec_name: 'mjpeg', width: 640, height: 360 }),
        ]);
      }
    });

    it('published JobProgress for stage transcode, non-decreasing, ending at 100 %', async () => {
      const events = await progress.waitFor(job720, 1, (e) => e.percent === 100);
      const all = progress.of(job720);
      expect(all.every((e) => e.stage === 'transcode')).toBe(true);
      const percents = all.map((e) => e.percent);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
      expect(events).toHaveLength(1);
    });

    it('ignores a duplicate delivery of the same VideoValidated: no second RenditionsReady', async () => {
      const duplicate = await bus.publish('VideoValidated', event);
      await bus.waitUntilConsumed('tf-transcoder', duplicate);
      const { rows } = await db.query(
        `SELECT count(*)::int AS n, count(sent_at)::int AS sent FROM transcoder.outbox WHERE aggregateid = $1 AND type = 'RenditionsReady'`,
        [job720],
      );
      expect(rows[0]).toEqual({ n: 1, sent: 1 });
      expect(ready.of(job720)).toHaveLength(1);
    });
  });

  it('a silent source below every requested rung gets one fallback rendition and no MP3', async () => {
    const clip = await makeClip(join(dir, 'small.mp4'), { width: 640, height: 360, durationS: 2, audio: false });
    await bus.publish('VideoValidated', await validated(jobSmall, clip, ['720p', '1080p']));
    const [result] = await ready.waitFor(jobSmall);
    expect(result.renditions.map((r) => [r.label, r.width, r.height, r.codecs, r.audio_bitrate])).toEqual([
      ['360p', 640, 360, 'avc1.64001e', 0],
    ]);
    expect(result.skipped.map((s) => s.label)).toEqual(['720p', '1080p']);
    expect(result.audio).toBeNull();
    expect(await storage.exists(Buckets.processed, `${jobSmall}/audio.mp3`)).toBe(false);
    expect(result.thumbnails).toHaveLength(5);
  });

  it('leaves no scratch directory behind', async () => {
    await waitFor('both jobs done', async () => ready.of(job720).length + ready.of(jobSmall).length >= 2);
    expect(await readdir(workDir)).toEqual([]);
  });
});
