// The hls service on the real stack: RenditionsReady (real rendition MP4s made here with @tf/media)
// and TranscriptReady in either order → HLS in hls-streams, a master with or without SUBTITLES,
// VideoPackaged events. Playability is checked by decoding a local copy of the tree with ffmpeg.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { JobSpec, RenditionsReady, TranscriptReady, VideoPackaged, newEnvelope } from '@tf/contracts';
import { MediaInfo, PlannedRendition, buildTranscodeArgs, planLadder, probeMedia, runFfmpeg } from '@tf/media';
import { databaseUrl } from '@tf/persistence';
import { Buckets, ObjectStorage } from '@tf/storage';
import { Client } from 'pg';
import { makeClip, makeTempDir, removeDir } from '../../libs/media/src/testing/lavfi-fixtures';
import { ServiceProcess, startTsProcess } from '../support/processes';
import { waitFor } from '../support/wait';
import { Collected, EventBus } from '../support/event-bus';

const CLIP_SECONDS = 4;
const VTT = 'WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nHello from the transcript\n';

const spec = (enable_hls = true): JobSpec => ({
  tenant_id: 'itest',
  target_resolutions: ['360p', '720p'],
  enable_hls,
  enable_transcription: true,
  webhook_url: null,
  priority: 'normal',
  language: null,
});

describe('hls service (real ffmpeg, S3, Kafka)', () => {
  const run = randomUUID().slice(0, 8);
  const job = (name: string) => `itest-hls-${run}-${name}`;
  const jobs = { after: job('after'), before: job('before'), race: job('race'), off: job('off') };
  const storage = new ObjectStorage();
  const bus = new EventBus();
  let db: Client;
  let dir: string;
  let hls: ServiceProcess;
  let packaged: Collected<VideoPackaged>;
  let media: MediaInfo;
  let planned: PlannedRendition[];

  async function renditionsReady(jobId: string, enableHls = true): Promise<RenditionsReady> {
    const renditions = [];
    for (const r of planned) {
      const object = await storage.putFile(
        Buckets.processed,
        `${jobId}/${r.label}.mp4`,
        join(dir, 'out', `${r.label}.mp4`),
        'video/mp4',
      );
      renditions.push({
        label: r.label,
        width: r.width,
        height: r.height,
        video_bitrate: r.video_bitrate,
        audio_bitrate: r.audio_bitrate,
        codecs: r.codecs,
        object,
      });
    }
    return {
      ...newEnvelope(jobId),
      spec: spec(enableHls),
      media,
      renditions,
      skipped: [],
      audio: null,
      thumbnails: [],
    };
  }

  async function transcriptReady(jobId: string, vtt: string, segmentCount: number): Promise<TranscriptReady> {
    const object = await storage.putText(Buckets.processed, `${jobId}/transcript.vtt`, vtt, 'text/vtt');
    return {
      ...newEnvelope(jobId),
      spec: spec(),
      language: 'en',
      model: 'whisper-base',
      duration_s: CLIP_SECONDS,
      segment_count: segmentCount,
      files: [{ format: 'vtt', object }],
    };
  }

  const masterText = async (jobId: string): Promise<string> => {
    const response = await fetch(await storage.presignGet(Buckets.hls, `${jobId}/master.m3u8`));
    expect(response.status).toBe(200);
    return response.text();
  };

  /** Copies hls-streams/{job}/ to a local directory: relative URIs in a presigned master would not carry signatures. */
  async function downloadTree(jobId: string): Promise<string> {
    const root = join(dir, 'copies', jobId);
    for (const key of await storage.listKeys(Buckets.hls, `${jobId}/`)) {
      const path = join(root, key.slice(jobId.length + 1));
      await mkdir(dirname(path), { recursive: true });
      await storage.download(Buckets.hls, key, path);
    }
    return root;
  }

  const outbox = async (jobId: string): Promise<Array<{ has_subtitles: boolean; sent: boolean }>> =>
    (
      await db.query(
        `SELECT (payload->>'has_subtitles')::boolean AS has_subtitles, sent_at IS NOT NULL AS sent FROM hls.outbox WHERE aggregateid = $1 AND type = 'VideoPackaged' ORDER BY seq`,
        [jobId],
      )
    ).rows;

  const packagingRow = async (jobId: string) =>
    (await db.query(`SELECT * FROM hls.packagings WHERE job_id = $1`, [jobId])).rows[0];

  beforeAll(async () => {
    await storage.ensureBuckets();
    db = new Client({ connectionString: databaseUrl() });
    await db.connect();
    dir = await makeTempDir('tf-itest-hls-');
    const source = await makeClip(join(dir, 'source.mp4'), {
      width: 1280,
      height: 720,
      durationS: CLIP_SECONDS,
      fps: 25,
    });
    media = await probeMedia(source);
    planned = planLadder(['360p', '720p'], media).renditions;
    await mkdir(join(dir, 'out'));
    await runFfmpeg(
      buildTranscodeArgs({
        source,
        outDir: join(dir, 'out'),
        media,
        renditions: planned,
        mp3: false,
        thumbnails: false,
      }),
    );

    packaged = await bus.collect('VideoPackaged', new Set(Object.values(jobs)));
    hls = startTsProcess('apps/hls/src/main.ts', { TF_HTTP_PORT: '0', TF_WORK_DIR: dir, TF_HLS_SEGMENT_SECONDS: '2' });
    await hls.waitForOutput(/joined group tf-hls/);
  });

  afterAll(async () => {
    await hls?.kill();
    await bus.close();
    await db?.end();
    await removeDir(dir);
  });

  describe('renditions first, then the transcript', () => {
    let first: VideoPackaged;
    let rr: RenditionsReady;

    beforeAll(async () => {
      rr = await renditionsReady(jobs.after);
      await bus.publish('RenditionsReady', rr);
      [first] = await packaged.waitFor(jobs.after);
    });

    it('emits VideoPackaged without subtitles, with measured variants', () => {
      expect(first).toMatchObject({
        job_id: jobs.after,
        has_subtitles: false,
        master: { bucket: Buckets.hls, key: `${jobs.after}/master.m3u8` },
      });
      expect(first.variants.map((v) => [v.label, v.resolution, v.codecs, v.segment_count, v.playlist.key])).toEqual([
        ['360p', '640x360', 'avc1.64001e,mp4a.40.2', 2, `${jobs.after}/360p/index.m3u8`],
        ['720p', '1280x720', 'avc1.64001f,mp4a.40.2', 2, `${jobs.after}/720p/index.m3u8`],
      ]);
      expect(first.variants[0].bandwidth).toBeGreaterThan(0);
      expect(first.variants[1].bandwidth).toBeGreaterThan(first.variants[0].bandwidth);
    });

    it('serves a master with BANDWIDTH, RESOLUTION and CODECS and no SUBTITLES group (presigned URL)', async () => {
      const master = await masterText(jobs.after);
      expect(master).toMatch(
        /#EXT-X-STREAM-INF:BANDWIDTH=\d+,AVERAGE-BANDWIDTH=\d+,RESOLUTION=640x360,FRAME-RATE=25.000,CODECS="avc1.64001e,mp4a.40.2"\n360p\/index.m3u8/,
      );
      expect(master).toMatch(/RESOLUTION=1280x720,.*CODECS="avc1.64001f,mp4a.40.2"\n720p\/index.m3u8/);
      expect(master).not.toContain('SUBTITLES');
    });

    it('adds the subtitles on TranscriptReady: a second VideoPackaged with has_subtitles, a master with the SUBTITLES group', async () => {
      await bus.publish('TranscriptReady', await transcriptReady(jobs.after, VTT, 1));
      const events = await packaged.waitFor(jobs.after, 2);
      expect(events.map((e) => e.has_subtitles)).toEqual([false, true]);
      expect(events[1].variants).toEqual(first.variants);
      const master = await masterText(jobs.after);
      expect(master).toContain('#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en"');
      expect(master).toContain('URI="subtitles/index.m3u8"');
      expect(master.match(/SUBTITLES="subs"/g)).toHaveLength(2);
      expect(await packagingRow(jobs.after)).toMatchObject({
        has_subtitles: true,
        transcript_expected: true,
        master_key: `${jobs.after}/master.m3u8`,
      });
    });

    it('is playable: ffmpeg decodes the master, and the subtitle playlist yields the cue', async () => {
      const root = await downloadTree(jobs.after);
      const decoded = await runFfmpeg([
        '-hide_banner',
        '-nostdin',
        '-v',
        'error',
        '-progress',
        'pipe:1',
        '-i',
        join(root, 'master.m3u8'),
        '-f',
        'null',
        '-',
      ]);
      expect(decoded.stderr).toBe('');
      expect(decoded.lastProgress?.outTimeUs).toBeGreaterThan((CLIP_SECONDS - 0.5) * 1e6);
      // ffmpeg 5.1's HLS demuxer skips SUBTITLES renditions ("Can't support the subtitle"), so the track is decoded on its own.
      const cues = join(dir, 'after-cues.vtt');
      await runFfmpeg([
        '-hide_banner',
        '-nostdin',
        '-v',
        'error',
        '-y',
        '-i',
        join(root, 'subtitles', 'index.m3u8'),
        '-f',
        'webvtt',
        cues,
      ]);
      expect(await readFile(cues, 'utf8')).toContain('Hello from the transcript');
    });

    it('ignores a duplicate delivery of the RenditionsReady', async () => {
      const duplicate = await bus.publish('RenditionsReady', rr);
      await bus.waitUntilConsumed('tf-hls', duplicate);
      expect(await outbox(jobs.after)).toEqual([
        { has_subtitles: false, sent: true },
        { has_subtitles: true, sent: true },
      ]);
    });
  });

  it('transcript first, then the renditions: ONE VideoPackaged, already with subtitles', async () => {
    await bus.publish('TranscriptReady', await transcriptReady(jobs.before, VTT, 1));
    await waitFor('the transcript recorded', async () => (await packagingRow(jobs.before))?.subtitles);
    expect(await packagingRow(jobs.before)).toMatchObject({ master_key: null, variants: null, has_subtitles: false });
    expect(await outbox(jobs.before)).toEqual([]);

    await bus.publish('RenditionsReady', await renditionsReady(jobs.before));
    const [event] = await packaged.waitFor(jobs.before);
    expect(event.has_subtitles).toBe(true);
    expect(await masterText(jobs.before)).toContain('TYPE=SUBTITLES');
    await waitFor('the outbox drained', async () => (await outbox(jobs.before)).every((r) => r.sent));
    expect(await outbox(jobs.before)).toEqual([{ has_subtitles: true, sent: true }]);
    expect(packaged.of(jobs.before)).toHaveLength(1);
  });

  it('both at once (and a transcript with zero segments): the last VideoPackaged and the master have subtitles', async () => {
    const [rr, tr] = await Promise.all([renditionsReady(jobs.race), transcriptReady(jobs.race, 'WEBVTT\n\n', 0)]);
    await Promise.all([bus.publish('RenditionsReady', rr), bus.publish('TranscriptReady', tr)]);
    await packaged.waitFor(jobs.race, 1, (e) => e.has_subtitles);
    const rows = await outbox(jobs.race);
    expect(rows[rows.length - 1].has_subtitles).toBe(true);
    expect(rows.filter((r) => r.has_subtitles)).toHaveLength(1);
    expect(await masterText(jobs.race)).toContain('TYPE=SUBTITLES');
    const vtt = await storage.getText(Buckets.hls, `${jobs.race}/subtitles/transcript.vtt`);
    expect(vtt.startsWith('WEBVTT')).toBe(true);
    const root = await downloadTree(jobs.race);
    expect(
      (await runFfmpeg(['-hide_banner', '-nostdin', '-v', 'error', '-i', join(root, 'master.m3u8'), '-f', 'null', '-']))
        .stderr,
    ).toBe('');
  });

  it('ignores a RenditionsReady of a job without HLS', async () => {
    const published = await bus.publish('RenditionsReady', await renditionsReady(jobs.off, false));
    await bus.waitUntilConsumed('tf-hls', published);
    expect(await packagingRow(jobs.off)).toBeUndefined();
    expect(await outbox(jobs.off)).toEqual([]);
    expect(await storage.listKeys(Buckets.hls, `${jobs.off}/`)).toEqual([]);
  });
});
