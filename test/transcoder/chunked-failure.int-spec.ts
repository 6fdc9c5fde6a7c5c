// A split transcode whose parts fail for good, on the real stack (issue 12 §1, failure paths): a short source is cut
// into chunks (threshold and target lowered by env), then, as soon as its parts are on tf.video.chunks, the source
// object is overwritten with bytes that are not media, so every part that opens it afterwards (video chunks, the
// whole-file audio) fails in ffmpeg on each of its attempts and is given up on (dead-lettered). The run fails and the
// job fails exactly once: one JobFailed (TRANSCODE_FAILED, stage transcode) however many parts were given up on, no
// assembly, no RenditionsReady. A retry of the job (a new VideoValidated, the source restored) is a new run that
// completes with one RenditionsReady.
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
/** 16 s cut into chunks of about 4 s; two quick attempts per part, no durable retry (a broken source is no outage). */
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

describe('chunked transcode whose parts are given up on (real transcoder, Kafka, Postgres, S3)', () => {
  const jobId = randomUUID();
  const storage = new ObjectStorage();
  const bus = new EventBus();
  let db: Client;
  let dir: string;
  let transcoder: ServiceProcess;
  let failed: Collected<JobFailed>;
  let ready: Collected<RenditionsReady>;
  let parts: KeyedMessage[];
  let deadLetters: KeyedMessage[];
  let validated: VideoValidated;
  let clip: string;

  const count = async (sql: string, ...params: unknown[]): Promise<number> =>
    (await db.query(sql, [jobId, ...params])).rows[0].n;
  const outboxRows = (type: string) =>
    count(`SELECT count(*)::int AS n FROM transcoder.outbox WHERE aggregateid = $1 AND type = $2`, type);
  const runStates = async (): Promise<string[]> =>
    (
      await db.query(`SELECT state FROM transcoder.chunked_runs WHERE job_id = $1 ORDER BY created_at`, [jobId])
    ).rows.map((r: { state: string }) => r.state);
  /** Every part of the job's runs so far (video chunks and audio), handled by the group whatever the outcome. */
  const allPartsHandled = async (runId: string) => {
    const ofRun = () => parts.filter((p) => p.value.run_id === runId && p.value.part !== 'assemble');
    const first = await waitFor('the run’s first part', async () => ofRun()[0], 120_000);
    const expected = Number(first.value.chunk_count) + 1; // the chunks and the audio
    await waitFor('every part of the run', async () => ofRun().length >= expected || undefined, 120_000);
    for (const p of ofRun()) await bus.waitUntilConsumed('tf-transcoder', p.at);
  };

  beforeAll(async () => {
    await storage.ensureBuckets();
    db = new Client({ connectionString: databaseUrl() });
    await db.connect();
    dir = await makeTempDir('tf-itest-chunk-fail-');
    clip = await makeClip(join(dir, 'source.mp4'), {
      width: 640,
      height: 360,
      durationS: 16,
      keyframeEveryFrames: 50,
      faststart: true,
    });
    const junk = join(dir, 'junk.mp4');
    await writeFile(junk, randomBytes(64 * 1024));
    const jobs = new Set([jobId]);
    [failed, ready, parts, deadLetters] = await Promise.all([
      bus.collect('JobFailed', jobs),
      bus.collect('RenditionsReady', jobs),
      bus.collectKeyed(CHUNK_TOPIC, `${jobId}:`),
      bus.collectKeyed(DLQ_TOPIC, `${jobId}:`),
    ]);
    transcoder = startTsProcess('apps/transcoder/src/main.ts', { ...TRANSCODER_ENV, TF_WORK_DIR: dir });
    await transcoder.waitForOutput(/joined group tf-transcoder/);

    const source = await storage.putFile(Buckets.raw, `${jobId}/source.mp4`, clip, 'video/mp4');
    validated = { ...newEnvelope(jobId), source, spec, media: await probeMedia(clip), only_stage: null };
    await bus.publish('VideoValidated', validated);
    // The split is done once its parts are out: from now on, whoever opens the source reads no media.
    await waitFor('the first part on the chunk topic', async () => parts[0], 120_000);
    await storage.putFile(Buckets.raw, `${jobId}/source.mp4`, junk, 'video/mp4');
    await allPartsHandled(validated.event_id);
  }, 300_000);

  afterAll(async () => {
    await transcoder?.kill();
    await bus.close();
    await db?.end();
    if (dir) await removeDir(dir);
  });

  it('fails the run and the job exactly once, however many parts were given up on', async () => {
    // Parts given up on after the overwrite (a part that read the source before it may have succeeded).
    await waitFor('a dead-lettered part', async () => deadLetters[0], 60_000);
    expect(await runStates()).toEqual(['failed']);
    expect(await outboxRows('JobFailed')).toBe(1);
    const [jobFailed] = await failed.waitFor(jobId, 1);
    expect(jobFailed).toMatchObject({ stage: 'transcode', code: 'TRANSCODE_FAILED', retryable: true });
    expect(jobFailed.message).toBe('The video could not be transcoded.');
    console.log(`${deadLetters.length} part(s) dead-lettered: ${deadLetters.map((d) => d.key).join(', ')}`);
  });

  it('neither assembles nor emits RenditionsReady for the failed run', async () => {
    expect(parts.filter((p) => p.value.part === 'assemble')).toHaveLength(0);
    expect(await outboxRows('RenditionsReady')).toBe(0);
  });

  it('completes a retry of the job (a new run) with one RenditionsReady, the failed run left as it was', async () => {
    await storage.putFile(Buckets.raw, `${jobId}/source.mp4`, clip, 'video/mp4');
    const retry: VideoValidated = { ...validated, ...newEnvelope(jobId, 2), only_stage: 'transcode' };
    await bus.publish('VideoValidated', retry);
    const [result] = await ready.waitFor(jobId, 1, () => true, 300_000);
    expect(result.renditions.map((r) => r.label)).toEqual(['360p']);
    expect(await runStates()).toEqual(['failed', 'done']);
    expect(await outboxRows('RenditionsReady')).toBe(1);
    expect(await outboxRows('JobFailed')).toBe(1);
  });
});
