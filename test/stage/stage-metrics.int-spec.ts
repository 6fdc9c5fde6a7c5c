// The stage metrics moved by one real job: validator, transcoder, transcriber and hls (started here
// from source, in their real consumer groups, on the real stack) take a clip with speech from
// VideoUploaded to a VideoPackaged with subtitles; each one's /metrics then shows the job's queue wait
// and duration (tf_stage_*), the transcoder's per-rendition time and speed, Whisper's real-time factor
// and audio seconds, and the S3 bytes each stage read and wrote. Needs .stack/venv (Whisper) and espeak-ng.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  JobSpec,
  RenditionsReady,
  TranscriptReady,
  VideoPackaged,
  VideoUploaded,
  VideoValidated,
  newEnvelope,
} from '@tf/contracts';
import { Buckets, ObjectStorage } from '@tf/storage';
import { makeSampleClip } from '@tf/testing';
import { Collected, EventBus } from '../support/event-bus';
import { ServiceProcess, startTsProcess } from '../support/processes';
import { waitFor } from '../support/wait';

const CLIP_SECONDS = 12;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A scraped /metrics page: the value of the sample `name` whose labels include `labels` (0 when absent). */
class Scrape {
  constructor(private readonly text: string) {}

  value(name: string, labels: Record<string, string> = {}): number {
    for (const line of this.text.split('\n')) {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match || match[1] !== name) continue;
      const found = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
      );
      if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
    }
    return 0;
  }
}

interface StageService {
  name: string;
  entry: string;
  port: number;
  process?: ServiceProcess;
}

describe('stage metrics, moved by a real job', () => {
  const jobId = `itest-stage-metrics-${randomUUID().slice(0, 8)}`;
  const jobs = new Set([jobId]);
  const storage = new ObjectStorage();
  const bus = new EventBus();
  const services: Record<'validator' | 'transcoder' | 'transcriber' | 'hls', StageService> = {
    validator: { name: 'validator', entry: 'apps/validator/src/main.ts', port: 0 },
    transcoder: { name: 'transcoder', entry: 'apps/transcoder/src/main.ts', port: 0 },
    transcriber: { name: 'transcriber', entry: 'apps/transcriber/src/main.ts', port: 0 },
    hls: { name: 'hls', entry: 'apps/hls/src/main.ts', port: 0 },
  };
  let dir: string;
  let sourceBytes: number;
  let validated: Collected<VideoValidated>;
  let renditions: Collected<RenditionsReady>;
  let transcripts: Collected<TranscriptReady>;
  let packaged: Collected<VideoPackaged>;
  const scrapes: Partial<Record<keyof typeof services, Scrape>> = {};

  const scrape = async (service: StageService): Promise<Scrape> =>
    new Scrape(await (await fetch(`http://127.0.0.1:${service.port}/metrics`)).text());

  beforeAll(async () => {
    await storage.ensureBuckets();
    dir = await mkdtemp(join(tmpdir(), 'tf-itest-stage-metrics-'));
    [validated, renditions, transcripts, packaged] = await Promise.all([
      bus.collect('VideoValidated', jobs),
      bus.collect('RenditionsReady', jobs),
      bus.collect('TranscriptReady', jobs),
      bus.collect('VideoPackaged', jobs),
    ]);
    for (const service of Object.values(services)) {
      service.port = await freePort();
      service.process = startTsProcess(service.entry, { TF_HTTP_PORT: String(service.port), TF_WORK_DIR: dir });
    }
    // The transcriber loads the Whisper model before it joins its group.
    await Promise.all(
      Object.values(services).map((s) => s.process!.waitForOutput(new RegExp(`joined group tf-${s.name}`), 300_000)),
    );
    // The HTTP port opens right after the group is joined.
    await Promise.all(
      Object.values(services).map((s) => waitFor(`${s.name} /metrics`, () => scrape(s).then(() => true), 60_000)),
    );

    const clip = await makeSampleClip(join(dir, 'speech.mp4'), { width: 640, height: 360, durationS: CLIP_SECONDS });
    sourceBytes = (await stat(clip)).size;
    const source = await storage.putFile(Buckets.raw, `${jobId}/source.mp4`, clip, 'video/mp4');
    const spec: JobSpec = {
      tenant_id: 'itest',
      target_resolutions: ['360p'],
      enable_hls: true,
      enable_transcription: true,
      webhook_url: null,
      priority: 'normal',
      language: 'en',
    };
    const uploaded: VideoUploaded = { ...newEnvelope(jobId), source, original_filename: 'speech.mp4', spec };
    await bus.publish('VideoUploaded', uploaded);
    // Done when the master carries the subtitles (whichever of renditions and transcript came last).
    await waitFor('a VideoPackaged with subtitles', async () => packaged.events.some((e) => e.has_subtitles), 600_000);
    for (const [name, service] of Object.entries(services))
      scrapes[name as keyof typeof services] = await scrape(service);
  });

  afterAll(async () => {
    await Promise.all(Object.values(services).map((s) => s.process?.kill()));
    await bus.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // At least: the groups are the real ones, so a message an earlier file left on a topic (a job whose source is gone
  // by now, say) may be handled here too, and fail; only this job's ok work is certain.
  it('each stage observed its queue wait and an ok duration for the job', () => {
    const stages = {
      validator: 'validate',
      transcoder: 'transcode',
      transcriber: 'transcribe',
      hls: 'package',
    } as const;
    for (const [service, stage] of Object.entries(stages)) {
      const metrics = scrapes[service as keyof typeof stages]!;
      expect(metrics.value('tf_stage_queue_wait_seconds_count', { stage })).toBeGreaterThanOrEqual(1);
      expect(metrics.value('tf_stage_duration_seconds_count', { stage, outcome: 'ok' })).toBeGreaterThanOrEqual(1);
      expect(metrics.value('tf_stage_duration_seconds_sum', { stage, outcome: 'ok' })).toBeGreaterThan(0);
    }
    // hls worked twice: the renditions (variants + master), then the transcript (the master with subtitles).
    expect(
      scrapes.hls!.value('tf_stage_duration_seconds_count', { stage: 'package', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(2);
  });

  it('the transcoder observed the pass time and speed of each rendition it wrote', () => {
    const [ready] = renditions.events;
    expect(ready.renditions.map((r) => r.label)).toEqual(['360p']);
    const metrics = scrapes.transcoder!;
    expect(
      metrics.value('tf_transcode_rendition_duration_seconds_count', { rendition: '360p' }),
    ).toBeGreaterThanOrEqual(1);
    expect(metrics.value('tf_transcode_rendition_duration_seconds_sum', { rendition: '360p' })).toBeGreaterThan(0);
    expect(metrics.value('tf_transcode_speed_ratio_count', { rendition: '360p' })).toBeGreaterThanOrEqual(1);
    expect(metrics.value('tf_transcode_speed_ratio_sum', { rendition: '360p' })).toBeGreaterThan(0);
  });

  it('the transcriber counted the audio seconds and observed the real-time factor', () => {
    const [transcript] = transcripts.events;
    const metrics = scrapes.transcriber!;
    expect(metrics.value('tf_transcribe_audio_seconds_total')).toBeGreaterThanOrEqual(transcript.duration_s);
    expect(transcript.duration_s).toBeGreaterThan(CLIP_SECONDS - 1);
    expect(metrics.value('tf_transcribe_real_time_factor_count')).toBeGreaterThanOrEqual(1);
    expect(metrics.value('tf_transcribe_real_time_factor_sum')).toBeGreaterThan(0);
  });

  it('each stage counted the S3 bytes it read and wrote, by bucket', () => {
    const [ready] = renditions.events;
    const [transcript] = transcripts.events;
    const renditionBytes = ready.renditions.reduce((n, r) => n + r.object.bytes, 0);
    const transcoderWrote =
      renditionBytes + (ready.audio?.bytes ?? 0) + ready.thumbnails.reduce((n, t) => n + t.bytes, 0);
    const transcriptBytes = transcript.files.reduce((n, f) => n + f.object.bytes, 0);
    const bytes = (service: keyof typeof services, direction: 'read' | 'written', stage: string, bucket: string) =>
      scrapes[service]!.value(`tf_storage_${direction}_bytes_total`, { stage, bucket });

    // The transcoder downloads the whole source and uploads every output.
    expect(validated.events).toHaveLength(1);
    expect(bytes('transcoder', 'read', 'transcode', Buckets.raw)).toBeGreaterThanOrEqual(sourceBytes);
    expect(bytes('transcoder', 'written', 'transcode', Buckets.processed)).toBeGreaterThanOrEqual(transcoderWrote);
    // The transcriber streams the source through ffmpeg (a presigned URL: not counted) and writes four files.
    expect(bytes('transcriber', 'written', 'transcribe', Buckets.processed)).toBeGreaterThanOrEqual(transcriptBytes);
    // hls downloads the renditions and the VTT, and writes the HLS tree.
    expect(bytes('hls', 'read', 'package', Buckets.processed)).toBeGreaterThanOrEqual(renditionBytes);
    expect(bytes('hls', 'written', 'package', Buckets.hls)).toBeGreaterThan(renditionBytes / 2);
  });
});
