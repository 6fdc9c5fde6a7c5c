// The transcriber service on the real stack with the real Whisper model: VideoValidated in, audio
// streamed from S3, transcript files in processed-videos, TranscriptReady + JobProgress out.
// Needs .stack/venv (Whisper), ffmpeg and espeak-ng.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobFailed, JobProgress, JobSpec, TranscriptReady, VideoValidated, newEnvelope } from '@tf/contracts';
import { probeMedia } from '@tf/media';
import { databaseUrl } from '@tf/persistence';
import { Buckets, ObjectStorage } from '@tf/storage';
import { makeSampleClip } from '@tf/testing';
import { parseSrt, parseVtt, wordErrors } from '@tf/transcription';
import { Client } from 'pg';
import { ENGLISH_SENTENCES, silentVideo } from '../transcription/fixtures';
import { ServiceProcess, startTsProcess } from '../support/processes';
import { waitFor } from '../support/wait';
import { Collected, EventBus } from '../support/event-bus';
import { expectReadableCues, expectWellFormedCues } from '../support/captions';

const GROUP = 'tf-transcriber';
/** Five known sentences: ≈ 23.7 s of espeak-ng speech at 150 wpm. */
const SPOKEN = ENGLISH_SENTENCES.slice(0, 5);
const CONTENT_TYPES = { srt: 'application/x-subrip', vtt: 'text/vtt', json: 'application/json', txt: 'text/plain' };

const spec = (extra: Partial<JobSpec> = {}): JobSpec => ({
  tenant_id: 'itest',
  target_resolutions: ['360p'],
  enable_hls: false,
  enable_transcription: true,
  webhook_url: null,
  priority: 'normal',
  language: null,
  ...extra,
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describe('transcriber service (real Whisper, S3, Kafka)', () => {
  const run = randomUUID().slice(0, 8);
  const jobs = {
    speech: `itest-tr-${run}-speech`,
    silent: `itest-tr-${run}-silent`,
    noAudio: `itest-tr-${run}-noaudio`,
    disabled: `itest-tr-${run}-disabled`,
    canary: `itest-tr-${run}-canary`,
    crash: `itest-tr-${run}-crash`,
  };
  const storage = new ObjectStorage();
  const bus = new EventBus();
  let db: Client;
  let dir: string;
  let workDir: string;
  let port: number;
  let transcriber: ServiceProcess;
  let ready: Collected<TranscriptReady>;
  let progress: Collected<JobProgress>;
  let failed: Collected<JobFailed>;

  async function validated(jobId: string, clip: string, extra: Partial<JobSpec> = {}): Promise<VideoValidated> {
    const source = await storage.putFile(Buckets.raw, `${jobId}/source.mp4`, clip, 'video/mp4');
    return { ...newEnvelope(jobId), source, spec: spec(extra), media: await probeMedia(clip), only_stage: null };
  }

  const text = (key: string) => storage.getText(Buckets.processed, key);
  const fileOf = (event: TranscriptReady, format: string) => event.files.find((f) => f.format === format)!.object;

  beforeAll(async () => {
    await storage.ensureBuckets();
    db = new Client({ connectionString: databaseUrl() });
    await db.connect();
    dir = await mkdtemp(join(tmpdir(), 'tf-itest-transcriber-'));
    workDir = await mkdtemp(join(tmpdir(), 'tf-itest-transcriber-work-'));
    const ids = new Set(Object.values(jobs));
    [ready, progress, failed] = await Promise.all([
      bus.collect('TranscriptReady', ids),
      bus.collect('JobProgress', ids),
      bus.collect('JobFailed', ids),
    ]);
    port = await freePort();
    transcriber = startTsProcess('apps/transcriber/src/main.ts', { TF_HTTP_PORT: String(port), TF_WORK_DIR: workDir });
    // bootstrapService loads the model (onModuleInit) before the consumer joins its group.
    await transcriber.waitForOutput(/joined group tf-transcriber/, 300_000);
  });

  afterAll(async () => {
    await transcriber?.kill();
    await bus.close();
    await db?.end();
    if (dir) await rm(dir, { recursive: true, force: true });
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('loaded the model before consuming and reports the worker on /health', async () => {
    const out = transcriber.output();
    expect(out.indexOf('Whisper worker ready: model=whisper-base')).toBeGreaterThan(-1);
    expect(out.indexOf('Whisper worker ready')).toBeLessThan(out.indexOf('joined group tf-transcriber'));
    // bootstrapService opens the HTTP port after the consumer joined its group: wait until it answers.
    const res = await waitFor('the transcriber HTTP port', () => fetch(`http://127.0.0.1:${port}/health`), 60_000);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', whisper: 'ok' });
  });

  describe('a clip with ≈ 24 s of known English speech, language detected', () => {
    let event: VideoValidated;
    let result: TranscriptReady;

    beforeAll(async () => {
      const clip = await makeSampleClip(join(dir, 'speech.mp4'), {
        width: 320,
        height: 240,
        durationS: 26,
        fps: 15,
        speech: SPOKEN,
      });
      event = await validated(jobs.speech, clip);
      await bus.publish('VideoValidated', event);
      [result] = await ready.waitFor(jobs.speech);
    });

    it('emits TranscriptReady listing the four files under processed-videos/{job_id}/', async () => {
      expect(result).toMatchObject({ job_id: jobs.speech, spec: event.spec, language: 'en', model: 'whisper-base' });
      expect(result.duration_s).toBeCloseTo(event.media.duration_s, 0);
      expect(result.segment_count).toBeGreaterThan(0);
      expect(result.files.map((f) => [f.format, f.object.bucket, f.object.key, f.object.content_type])).toEqual(
        (['srt', 'vtt', 'json', 'txt'] as const).map((format) => [
          format,
          Buckets.processed,
          `${jobs.speech}/transcript.${format}`,
          CONTENT_TYPES[format],
        ]),
      );
      for (const { object } of result.files) {
        const stat = await storage.client.statObject(object.bucket, object.key);
        expect(stat.size).toBe(object.bytes);
        expect(stat.size).toBeGreaterThan(0);
        expect(stat.metaData['content-type']).toBe(object.content_type);
      }
    });

    it('transcribes the speech: WER of transcript.txt ≤ 30 %', async () => {
      const hypothesis = await text(fileOf(result, 'txt').key);
      const errors = wordErrors(SPOKEN.join(' '), hypothesis);
      console.log(
        `transcriber WER ${(errors.wer * 100).toFixed(1)} % (S=${errors.substitutions} D=${errors.deletions} I=${errors.insertions} of ${errors.referenceWords} words), ` +
          `${result.segment_count} segments, language ${result.language}\n${hypothesis}`,
      );
      expect(errors.wer).toBeLessThanOrEqual(0.3);
    });

    it('writes SRT and VTT that parse, with the same monotonic, readable cues within the duration', async () => {
      const srt = parseSrt(await text(fileOf(result, 'srt').key));
      const vtt = parseVtt(await text(fileOf(result, 'vtt').key));
      // Long segments are split into several cues (2 lines of 42 characters, 7 s at most).
      expect(srt.length).toBeGreaterThanOrEqual(result.segment_count);
      expect(vtt.map((c) => [c.start, c.end])).toEqual(srt.map((c) => [c.start, c.end]));
      expectWellFormedCues(srt, result.duration_s);
      expectWellFormedCues(vtt, result.duration_s);
      const spoken = await text(fileOf(result, 'txt').key);
      expectReadableCues(srt, spoken);
      expectReadableCues(vtt, spoken);
    });

    it('writes transcript.json with language, model, duration and timed segments with words', async () => {
      const json = JSON.parse(await text(fileOf(result, 'json').key));
      expect(json).toMatchObject({ language: 'en', model: 'whisper-base', duration_s: result.duration_s });
      expect(json.segments).toHaveLength(result.segment_count);
      for (const segment of json.segments) {
        expect(segment).toEqual({
          start: expect.any(Number),
          end: expect.any(Number),
          text: expect.any(String),
          words: expect.any(Array),
        });
      }
      expect(json.segments.flatMap((s: { words: unknown[] }) => s.words).length).toBeGreaterThan(40);
      expect(json.segments[0].words[0]).toEqual({
        start: expect.any(Number),
        end: expect.any(Number),
        word: expect.any(String),
        probability: expect.any(Number),
      });
    });

    it('published JobProgress(stage transcribe) 0 then 100', async () => {
      await progress.waitFor(jobs.speech, 1, (e) => e.percent === 100);
      const all = progress.of(jobs.speech);
      expect(all.map((e) => [e.stage, e.percent])).toEqual([
        ['transcribe', 0],
        ['transcribe', 100],
      ]);
    });

    it('ignores a duplicate delivery of the same VideoValidated: one TranscriptReady', async () => {
      const duplicate = await bus.publish('VideoValidated', event);
      await bus.waitUntilConsumed(GROUP, duplicate);
      const { rows } = await db.query(
        `SELECT count(*)::int AS n, count(sent_at)::int AS sent FROM transcriber.outbox WHERE aggregateid = $1 AND type = 'TranscriptReady'`,
        [jobs.speech],
      );
      expect(rows[0]).toEqual({ n: 1, sent: 1 });
      expect(ready.of(jobs.speech)).toHaveLength(1);
      expect(progress.of(jobs.speech)).toHaveLength(2); // the duplicate did no work
    });
  });

  it('a silent soundtrack gives a normal TranscriptReady with 0 segments and valid empty files', async () => {
    const clip = silentVideo(join(dir, 'silent.mp4'), 6, true);
    const event = await validated(jobs.silent, clip);
    expect(event.media.has_audio).toBe(true);
    await bus.publish('VideoValidated', event);
    const [result] = await ready.waitFor(jobs.silent);
    expect(result).toMatchObject({ language: 'und', model: 'whisper-base', segment_count: 0 });
    expect(result.files.map((f) => f.format)).toEqual(['srt', 'vtt', 'json', 'txt']);
    expect(await text(fileOf(result, 'srt').key)).toBe('');
    expect(await text(fileOf(result, 'txt').key)).toBe('');
    const vtt = await text(fileOf(result, 'vtt').key);
    expect(vtt).toBe('WEBVTT\n');
    expect(parseVtt(vtt)).toEqual([]);
    expect(JSON.parse(await text(fileOf(result, 'json').key))).toMatchObject({
      language: 'und',
      segments: [],
      text: '',
    });
    for (const { object } of result.files) expect(await storage.exists(object.bucket, object.key)).toBe(true);
  });

  it('ignores a clip without audio and a job without transcription (a later canary is the only one transcribed)', async () => {
    const noAudio = await makeSampleClip(join(dir, 'noaudio.mp4'), {
      width: 320,
      height: 240,
      durationS: 3,
      fps: 15,
      speech: false,
    });
    const withSpeech = await makeSampleClip(join(dir, 'short-speech.mp4'), {
      width: 320,
      height: 240,
      durationS: 4,
      fps: 15,
      speech: ['Hello there.'],
    });
    const noAudioEvent = await validated(jobs.noAudio, noAudio);
    expect(noAudioEvent.media.has_audio).toBe(false);
    const disabledEvent = await validated(jobs.disabled, withSpeech, { enable_transcription: false });
    const canaryEvent = await validated(jobs.canary, silentVideo(join(dir, 'canary.mp4'), 2, true));
    // One partition, in this order: the canary is handled only after both others were.
    const first = await bus.publish('VideoValidated', noAudioEvent);
    await bus.publish('VideoValidated', disabledEvent, first.partition);
    await bus.publish('VideoValidated', canaryEvent, first.partition);
    await ready.waitFor(jobs.canary);
    expect(ready.of(jobs.noAudio)).toEqual([]);
    expect(ready.of(jobs.disabled)).toEqual([]);
    expect(progress.of(jobs.noAudio)).toEqual([]);
    expect(progress.of(jobs.disabled)).toEqual([]);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM transcriber.outbox WHERE aggregateid = ANY($1)`, [
      [jobs.noAudio, jobs.disabled],
    ]);
    expect(rows[0].n).toBe(0);
    expect(await storage.listKeys(Buckets.processed, `${jobs.noAudio}/`)).toEqual([]);
    expect(await storage.listKeys(Buckets.processed, `${jobs.disabled}/`)).toEqual([]);
  });

  it('a Whisper worker killed mid-job is restarted and the delivery retried: one TranscriptReady', async () => {
    const clip = await makeSampleClip(join(dir, 'crash.mp4'), {
      width: 320,
      height: 240,
      durationS: 26,
      fps: 15,
      speech: SPOKEN,
    });
    await bus.publish('VideoValidated', await validated(jobs.crash, clip, { language: 'en' }));
    await transcriber.waitForOutput(new RegExp(`${jobs.crash}: transcribing .*attempt 1`), 300_000);
    const pids = [...transcriber.output().matchAll(/Whisper worker (?:ready|restarted): .*?pid=(\d+)/g)].map((m) =>
      Number(m[1]),
    );
    const pid = pids[pids.length - 1];
    // Only ever kill our own service's child: the worker's parent must be the transcriber we started.
    const ppid = Number((await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ')[1]);
    expect(ppid).toBe(transcriber.child.pid);
    process.kill(pid, 'SIGKILL');

    const [result] = await ready.waitFor(jobs.crash);
    expect(result).toMatchObject({ attempt: 2, language: 'en', model: 'whisper-base' });
    expect(result.segment_count).toBeGreaterThan(0);
    expect(transcriber.output()).toMatch(
      /attempt 1 failed: the Whisper worker exited \(signal SIGKILL\) while transcribing/,
    );
    expect(transcriber.output()).toMatch(new RegExp(`${jobs.crash}: transcribing .*attempt 2`));
    await progress.waitFor(jobs.crash, 1, (e) => e.percent === 100);
    expect(progress.of(jobs.crash).map((e) => [e.attempt, e.percent])).toEqual([
      [1, 0],
      [2, 0],
      [2, 100],
    ]);
    expect(ready.of(jobs.crash)).toHaveLength(1);
  });

  it('failed no job and leaves no scratch directory behind', async () => {
    await waitFor('every transcribed job done', async () =>
      [jobs.speech, jobs.silent, jobs.canary, jobs.crash].every((j) => ready.of(j).length > 0),
    );
    expect(failed.events).toEqual([]);
    expect(await readdir(workDir)).toEqual([]);
  });
});

describe('transcriber startup without a model', () => {
  it('exits non-zero with the WhisperStartError message', async () => {
    const port = await freePort();
    const proc = startTsProcess('apps/transcriber/src/main.ts', {
      TF_HTTP_PORT: String(port),
      TF_WHISPER_MODEL_DIR: '/nonexistent/whisper-model',
    });
    const [code] = (await once(proc.child, 'close')) as [number | null];
    expect(code).not.toBe(0);
    expect(proc.output()).toMatch(
      /WhisperStartError: the Whisper worker could not start: Whisper model dir does not exist: \/nonexistent\/whisper-model/,
    );
    expect(proc.output()).not.toMatch(/joined group/);
  });
});
