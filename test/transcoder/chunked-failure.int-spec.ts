// The failure paths of split transcodes on the real stack (issue 12 §1), with one transcoder whose chunk threshold and
// target are lowered by env so that a 16 s source is cut into chunks of about 4 s:
// - parts given up on: as soon as a job's parts are on tf.video.chunks, its source object is overwritten with bytes
//   that are not media, so every part that opens it afterwards (video chunks, the whole-file audio) fails in ffmpeg
//   on each of its attempts and is dead-lettered. The run fails and the job fails exactly once: one JobFailed
//   (TRANSCODE_FAILED, stage transcode) however many parts were given up on, no assembly, no RenditionsReady. A retry
//   of the job (a new VideoValidated, the source restored) is a new run that completes.
// - a retry in one pass: a job's retry (a second VideoValidated, right behind the first) names a source with a single
//   key frame, which cannot be cut, so the retry takes the single pass; the first run is superseded before its parts
//   run: it never assembles, and the job gets exactly one RenditionsReady (the single pass's).
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JobFailed, JobSpec, RenditionsReady, VideoValidated, newEnvelope } from '@tf/contracts';
import { probeMedia } from '@tf/media';
import { databaseUrl } from '@tf/persistence';
import { Buckets, ObjectStorage } from '@tf/storage';
import { Client } from 'pg';
import { makeClip, makeTempDir, removeDir } from '../../libs/media/src/testing/lavfi-fixtures';
import { Collected, EventBus, KeyedMessage } from '../support/event-bus';
import { ServiceProcess, startTsProcess } from '../support/processes';
import { waitFor } from '../support/wait';

const CHUNK_TOPIC = 'tf.video.chunks';
const DLQ_TOPIC = 'tf.dlq.tf-transcoder';
const SOURCE_S = 16;
/** Chunks of about 4 s; two quick attempts per part, no durable retry (a broken source is no outage). */
const TRANSCODER_ENV = {
  TF_CHUNK_THRESHOLD_SECONDS: '6',
  TF_CHUNK_TARGET_SECONDS: '4',
  TF_RETRY_MAX_ATTEMPTS: '2',
  TF_RETRY_BASE_DELAY_MS: '100',
  TF_DURABLE_RETRIES: '0',
  TF_HTTP_PORT: '0',
};

const spec: JobSpec = {
  tenant_id: 'itest',
  target_resolutions: ['360p'],
  enable_hls: false,
  enable_transcription: false,
  webhook_url: null,
  priority: 'normal',
  language: null,
};

describe('split transcodes that fail or are superseded (real transcoder, Kafka, Postgres, S3)', () => {
  const failingJob = randomUUID();
  const retriedJob = randomUUID();
  const storage = new ObjectStorage();
  const bus = new EventBus();
  let db: Client;
  let dir: string;
  let transcoder: ServiceProcess;
  let failed: Collected<JobFailed>;
  let ready: Collected<RenditionsReady>;
  let partsOfJobs: KeyedMessage[][];
  let deadLetters: KeyedMessage[];
  let clip: string;

  const count = async (sql: string, ...params: unknown[]): Promise<number> => (await db.query(sql, params)).rows[0].n;
  const outboxRows = (jobId: string, type: string) =>
    count(`SELECT count(*)::int AS n FROM transcoder.outbox WHERE aggregateid = $1 AND type = $2`, jobId, type);
  const runStates = async (jobId: string): Promise<string[]> =>
    (
      await db.query(`SELECT state FROM transcoder.chunked_runs WHERE job_id = $1 ORDER BY created_at`, [jobId])
    ).rows.map((r: { state: string }) => r.state);
  const messagesOf = (runId: string) => partsOfJobs.flat().filter((p) => p.value.run_id === runId);
  const partsOf = (runId: string) => messagesOf(runId).filter((p) => p.value.part !== 'assemble');
  /** Every part of the run (its video chunks and the audio) handled by the transcoder group, whatever the outcome. */
  const allPartsHandled = async (runId: string): Promise<void> => {
    const first = await waitFor('the run’s first part', async () => partsOf(runId)[0], 120_000);
    const expected = Number(first.value.chunk_count) + 1;
    await waitFor('every part of the run', async () => partsOf(runId).length >= expected || undefined, 120_000);
    for (const p of partsOf(runId)) await bus.waitUntilConsumed('tf-transcoder', p.at);
    // The last part's transaction requests the assembly, if any: then that too, so that its outcome is in.
    const assemblies = await count(
      `SELECT count(*)::int AS n FROM transcoder.outbox WHERE type = 'TranscodeChunkRequested' AND payload->>'run_id' = $1 AND payload->>'part' = 'assemble'`,
      runId,
    );
    if (assemblies === 0) return;
    const assemble = await waitFor(
      'the run’s assembly on the chunk topic',
      async () => messagesOf(runId).find((p) => p.value.part === 'assemble'),
      120_000,
    );
    await bus.waitUntilConsumed('tf-transcoder', assemble.at);
  };
  const validatedEvent = async (jobId: string, key: string, path: string): Promise<VideoValidated> => {
    const source = await storage.putFile(Buckets.raw, `${jobId}/${key}`, path, 'video/mp4');
    return { ...newEnvelope(jobId), source, spec, media: await probeMedia(path), only_stage: null };
  };
  const retryOf = (first: VideoValidated, source = first.source): VideoValidated => ({
    ...first,
    ...newEnvelope(first.job_id, 2),
    source,
    only_stage: 'transcode',
  });

  beforeAll(async () => {
    await storage.ensureBuckets();
    db = new Client({ connectionString: databaseUrl() });
    await db.connect();
    dir = await makeTempDir('tf-itest-chunk-fail-');
    clip = await makeClip(join(dir, 'source.mp4'), {
      width: 640,
      height: 360,
      durationS: SOURCE_S,
      keyframeEveryFrames: 50,
      faststart: true,
    });
    const jobs = new Set([failingJob, retriedJob]);
    [failed, ready, ...partsOfJobs] = await Promise.all([
      bus.collect('JobFailed', jobs),
      bus.collect('RenditionsReady', jobs),
      bus.collectKeyed(CHUNK_TOPIC, `${failingJob}:`),
      bus.collectKeyed(CHUNK_TOPIC, `${retriedJob}:`),
    ]);
    transcoder = startTsProcess('apps/transcoder/src/main.ts', { ...TRANSCODER_ENV, TF_WORK_DIR: dir });
    await transcoder.waitForOutput(/joined group tf-transcoder/);
    // The group's dead-letter topic exists once the transcoder started (it creates it).
    deadLetters = await bus.collectKeyed(DLQ_TOPIC, `${failingJob}:`);
  }, 300_000);

  afterAll(async () => {
    await transcoder?.kill();
    await bus.close();
    await db?.end();
    if (dir) await removeDir(dir);
  });

  describe('a job whose parts are given up on', () => {
    let validated: VideoValidated;

    beforeAll(async () => {
      const junk = join(dir, 'junk.mp4');
      await writeFile(junk, randomBytes(64 * 1024));
      validated = await validatedEvent(failingJob, 'source.mp4', clip);
      await bus.publish('VideoValidated', validated);
      // The split is done once its parts are out: from now on, whoever opens the source reads no media.
      await waitFor('the job’s first part', async () => partsOf(validated.event_id)[0], 120_000);
      await storage.putFile(Buckets.raw, validated.source.key, junk, 'video/mp4');
      await allPartsHandled(validated.event_id);
    }, 300_000);

    it('fails the run and the job exactly once, however many parts were given up on', async () => {
      // Parts that opened the source after the overwrite were dead-lettered (one that read it before may have succeeded).
      await waitFor('a dead-lettered part', async () => deadLetters[0], 60_000);
      console.log(`${deadLetters.length} part(s) dead-lettered: ${deadLetters.map((d) => d.key).join(', ')}`);
      expect(await runStates(failingJob)).toEqual(['failed']);
      expect(await outboxRows(failingJob, 'JobFailed')).toBe(1);
      const [jobFailed] = await failed.waitFor(failingJob, 1);
      expect(jobFailed).toMatchObject({ stage: 'transcode', code: 'TRANSCODE_FAILED', retryable: true });
      // The code's public text (with ffmpeg's exit code, as the single pass reports it).
      expect(jobFailed.message).toMatch(/^The video could not be transcoded\b/);
    });

    it('neither assembles nor emits RenditionsReady for the failed run', async () => {
      expect(await outboxRows(`${failingJob}:assemble`, 'TranscodeChunkRequested')).toBe(0);
      expect(await outboxRows(failingJob, 'RenditionsReady')).toBe(0);
    });

    it('completes a retry of the job (a new run) with one RenditionsReady; the failed run stays failed', async () => {
      await storage.putFile(Buckets.raw, validated.source.key, clip, 'video/mp4');
      await bus.publish('VideoValidated', retryOf(validated));
      const [result] = await ready.waitFor(failingJob, 1, () => true, 300_000);
      expect(result.renditions.map((r) => r.label)).toEqual(['360p']);
      expect(await runStates(failingJob)).toEqual(['failed', 'done']);
      expect(await outboxRows(failingJob, 'RenditionsReady')).toBe(1);
      expect(await outboxRows(failingJob, 'JobFailed')).toBe(1);
    });
  });

  describe('a job retried while its run is queued, the retry taking the single pass', () => {
    let first: VideoValidated;

    beforeAll(async () => {
      // One key frame: the retry's source cannot be cut in two, so the transcoder encodes it in one pass.
      const oneGop = await makeClip(join(dir, 'one-gop.mp4'), {
        width: 640,
        height: 360,
        durationS: SOURCE_S,
        keyframeEveryFrames: 100_000,
        faststart: true,
      });
      first = await validatedEvent(retriedJob, 'source.mp4', clip);
      const retry = retryOf(first, (await validatedEvent(retriedJob, 'one-gop.mp4', oneGop)).source);
      // Same key, one partition: the transcoder handles the retry right after it split the first into a run.
      await bus.publish('VideoValidated', first);
      await bus.publish('VideoValidated', retry);
      await ready.waitFor(retriedJob, 1, () => true, 300_000);
      await allPartsHandled(first.event_id);
    }, 300_000);

    it('supersedes the first run, which emits nothing: one RenditionsReady, the single pass’s', async () => {
      expect(await runStates(retriedJob)).toEqual(['superseded']);
      expect(await outboxRows(retriedJob, 'RenditionsReady')).toBe(1);
      expect(ready.of(retriedJob)).toHaveLength(1);
      expect(await outboxRows(retriedJob, 'JobFailed')).toBe(0);
    });
  });
});
