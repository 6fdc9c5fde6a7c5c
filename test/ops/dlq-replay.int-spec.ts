// `tflow dlq list` and `tflow dlq replay` on the real stack (gateway, validator and transcoder started
// here from source): dead letters are re-driven through the normal path and exactly once still holds:
// replaying twice, or replaying a dead letter whose job moved on, changes the job's state once.
// - a stage's dead letter (the validator gave up: SOURCE_MISSING, the job failed) goes back through
//   the job retry;
// - the tracker's own dead letter goes back to the tracker's group, whose inbox applies it once.
// No timed assertions: every wait polls for a state.
import { join } from 'node:path';
import { JobProgress, Topics, VideoUploaded, newEnvelope } from '@tf/contracts';
import { createKafka, retryTopicFor, sendToDeadLetter } from '@tf/messaging';
import { jobProgressEvent } from '@tf/stage';
import { ObjectStorage } from '@tf/storage';
import type { Admin, KafkaMessage, Producer } from 'kafkajs';
import { Client } from 'pg';
import { makeClip, makeTempDir, removeDir } from '../../libs/media/src/testing/lavfi-fixtures';
import {
  GatewayProcess,
  TRACKER_GROUP,
  connectDb,
  newBootstrapKey,
  startGateway,
  waitForApplied,
} from '../gateway/gateway-harness';
import {
  GatewayDb,
  JobBody,
  JobsApi,
  emitted,
  rand,
  stageOf,
  startService,
  tflow,
  waitForJob,
} from '../jobs/jobs-harness';
import { EventBus } from '../support/event-bus';
import { ServiceProcess } from '../support/processes';
import { waitFor } from '../support/wait';

type DeadLetterList = {
  queues: Array<{ group: string; depth: number }>;
  dead_letters: Array<{
    group: string;
    job_id: string | null;
    event_type: string | null;
    error_code: string | null;
    job_status: string | null;
  }>;
};
type ReplayResult = {
  group: string;
  matched: number;
  replayed: Array<{ job_id: string; action: string; restarted_stages: string[] }>;
  skipped: Array<{ job_id: string | null; code: string }>;
};

describe('dead letters: list and replay through the normal path, exactly once (real stack)', () => {
  const tenant = `itest-dlq-${rand()}`;
  const storage = new ObjectStorage();
  const bus = new EventBus();
  const kafka = createKafka(`itest-dlq-${rand()}`);
  let db: Client;
  let gw: GatewayDb;
  let gateway: GatewayProcess;
  let services: ServiceProcess[] = [];
  let api: JobsApi;
  let operator: { url: string; key: string };
  let tenantAdminKey: string;
  let readKey: string;
  let producer: Producer;
  let admin: Admin;
  let dir: string;
  let clip: string;

  const dlq = async <T>(args: string[], as = operator): Promise<T> =>
    JSON.parse((await tflow(['dlq', ...args, '--json'], as)).stdout) as T;
  const job = async (id: string): Promise<JobBody> => (await api.get(readKey, id)).json();
  const versionOf = async (id: string): Promise<number> =>
    (await db.query(`SELECT version FROM gateway.jobs WHERE id = $1`, [id])).rows[0].version as number;

  beforeAll(async () => {
    await storage.ensureBuckets();
    db = await connectDb();
    gw = await GatewayDb.open();
    dir = await makeTempDir('tf-itest-dlq-');
    clip = await makeClip(join(dir, 'clip.mp4'), { width: 320, height: 240, durationS: 1, fps: 10, faststart: true });
    const bootstrapKey = newBootstrapKey();
    // Quick in-process retries: the failures here are permanent, the test only waits for the give-up.
    const retries = { TF_RETRY_BASE_DELAY_MS: '50', TF_RETRY_MAX_DELAY_MS: '200' };
    [gateway, ...services] = await Promise.all([
      startGateway({ TF_BOOTSTRAP_API_KEY: bootstrapKey }),
      startService('validator', retries),
      startService('transcoder', retries),
    ]);
    api = new JobsApi(gateway.url);
    // The bootstrap key is the platform admin's: dead letters concern every tenant.
    operator = { url: gateway.url, key: bootstrapKey };
    tenantAdminKey = await gw.createKey(tenant, ['admin']);
    readKey = await gw.createKey(tenant, ['jobs:read']);
    producer = kafka.producer();
    admin = kafka.admin();
    await Promise.all([producer.connect(), admin.connect()]);
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.kill()));
    await gateway?.stop();
    await Promise.all([producer?.disconnect(), admin?.disconnect(), bus.close()]);
    await gw?.close();
    await db?.end();
    if (dir) await removeDir(dir);
  });

  it("a stage's dead letter: listed with its job, replayed through the job retry once; again, or after the job moved on, it changes nothing", async () => {
    // The validator reads a source that is not there: SOURCE_MISSING, dead-lettered in tf-validator, the job fails.
    const fixture = await gw.insertJob(tenant, { spec: { enable_hls: false, enable_transcription: false } });
    const uploaded: VideoUploaded = {
      ...newEnvelope(fixture.id),
      source: fixture.source,
      original_filename: 'gone.mp4',
      spec: fixture.spec,
    };
    await bus.publish('VideoUploaded', uploaded);
    await waitForJob(api, readKey, fixture.id, 'failed', (j) => j.status === 'failed');

    const listed = await waitFor(
      'the dead letter listed',
      async () => {
        const list = await dlq<DeadLetterList>(['list', '--group', 'tf-validator', '--job', fixture.id]);
        return list.dead_letters.length > 0 ? list : undefined;
      },
      120_000,
      500,
    );
    expect(listed.queues).toEqual([expect.objectContaining({ group: 'tf-validator' })]);
    expect(listed.dead_letters).toEqual([
      expect.objectContaining({
        group: 'tf-validator',
        job_id: fixture.id,
        event_type: 'VideoUploaded',
        error_code: 'SOURCE_MISSING',
        job_status: 'failed',
      }),
    ]);

    // A tenant's admin key does not reach every tenant's dead letters.
    await expect(tflow(['dlq', 'list'], { url: gateway.url, key: tenantAdminKey })).rejects.toMatchObject({
      code: 3,
      stderr: expect.stringContaining('PLATFORM_ADMIN_REQUIRED'),
    });

    // The source is put back: the replay restarts the failed stage, once.
    await storage.putFile(fixture.source.bucket, fixture.source.key, clip, 'video/mp4');
    const first = await dlq<ReplayResult>(['replay', 'tf-validator', '--job', fixture.id]);
    expect(first).toMatchObject({ group: 'tf-validator', matched: 1, skipped: [] });
    expect(first.replayed).toEqual([
      expect.objectContaining({ job_id: fixture.id, action: 'job_retried', restarted_stages: ['validate'] }),
    ]);
    const second = await dlq<ReplayResult>(['replay', 'tf-validator', '--job', fixture.id]);
    expect(second).toMatchObject({
      matched: 1,
      replayed: [],
      skipped: [{ job_id: fixture.id, code: 'JOB_NOT_RETRYABLE' }],
    });

    const done = await waitForJob(api, readKey, fixture.id, 'completed', (j) => j.status === 'completed');
    expect(done).toMatchObject({ attempt: 2, error: null });
    expect(stageOf(done, 'validate')?.status).toBe('completed');

    // The job moved on (completed): replaying its dead letter again changes nothing.
    const after = await dlq<ReplayResult>(['replay', 'tf-validator', '--job', fixture.id]);
    expect(after).toMatchObject({ replayed: [], skipped: [{ code: 'JOB_NOT_RETRYABLE' }] });
    expect(await job(fixture.id)).toMatchObject({ status: 'completed', attempt: 2 });
    expect(await emitted(db, 'gateway', 'VideoUploaded', fixture.id)).toBe(1);
    expect(await emitted(db, 'gateway', 'VideoCompleted', fixture.id)).toBe(1);
  });

  it("the tracker's dead letter: redelivered to the tracker's group, applied once however often it is replayed", async () => {
    const fixture = await gw.insertJob(tenant, { status: 'processing' });
    const progress: JobProgress = jobProgressEvent(newEnvelope(fixture.id), { stage: 'transcode', percent: 40 });
    // The tracker gave up on this message (as KafkaAvroTransport does after its attempts): parked, never applied.
    const message = {
      key: Buffer.from(fixture.id),
      value: await bus.codec.encode('JobProgress', progress),
      offset: '0',
      headers: {},
      timestamp: String(Date.now()),
      attributes: 0,
    } as KafkaMessage;
    await sendToDeadLetter(producer, message, {
      topic: Topics.JobProgress,
      partition: 0,
      consumerGroup: TRACKER_GROUP,
      attempts: 5,
      error: new Error('simulated: the tracker could not apply it'),
    });
    const before = await versionOf(fixture.id);
    expect(stageOf(await job(fixture.id), 'transcode')?.progress ?? null).toBeNull();

    const first = await dlq<ReplayResult>(['replay', TRACKER_GROUP, '--job', fixture.id]);
    expect(first.replayed).toEqual([expect.objectContaining({ job_id: fixture.id, action: 'redelivered' })]);
    await waitForApplied(db, [progress.event_id]);
    expect(stageOf(await job(fixture.id), 'transcode')).toMatchObject({ status: 'running', progress: 40 });
    const applied = await versionOf(fixture.id);
    expect(applied).toBeGreaterThan(before);

    // Replayed again: the tracker's group gets it again (and commits it), its inbox drops it.
    const second = await dlq<ReplayResult>(['replay', TRACKER_GROUP, '--job', fixture.id]);
    expect(second.replayed).toEqual([expect.objectContaining({ action: 'redelivered' })]);
    const retryTopic = retryTopicFor(TRACKER_GROUP, 1);
    const ends = await admin.fetchTopicOffsets(retryTopic);
    await waitFor(
      `${TRACKER_GROUP} to consume every redelivery on ${retryTopic}`,
      async () => {
        const [committed] = await admin.fetchOffsets({ groupId: TRACKER_GROUP, topics: [retryTopic] });
        const at = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
        return ends.every((p) => Number(p.high) === Number(p.low) || (at.get(p.partition) ?? -1) >= Number(p.high));
      },
      120_000,
      250,
    );
    expect(await versionOf(fixture.id)).toBe(applied);
    expect(stageOf(await job(fixture.id), 'transcode')).toMatchObject({ status: 'running', progress: 40 });
  });
});
