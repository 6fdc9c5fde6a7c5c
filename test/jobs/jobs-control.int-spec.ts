// Cancel, retry and backfill through the running pipeline (gateway, validator, transcoder, hls,
// transcriber started here; instances started elsewhere may share their consumer groups, which the
// broadcast of JobCancelled is made for). No timed assertions: every wait polls for a state.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { newEnvelope } from '@tf/contracts';
import { probeMedia } from '@tf/media';
import { Buckets, ObjectStorage } from '@tf/storage';
import { makeClip, makeTempDir, removeDir } from '../../libs/media/src/testing/lavfi-fixtures';
import {
  EventPublisher,
  GatewayProcess,
  connectDb,
  newBootstrapKey,
  startGateway,
  upload,
} from '../gateway/gateway-harness';
import { SseClient } from '../gateway/sse-client';
import { ServiceProcess, repoRoot } from '../support/processes';
import { waitFor } from '../support/wait';
import {
  GatewayDb,
  JobBody,
  JobsApi,
  emitted,
  processesMentioning,
  rand,
  stageOf,
  startService,
  tflow,
  waitForJob,
} from './jobs-harness';

const NOT_A_VIDEO = Buffer.from('these bytes are not a video, so the validator fails the job\n'.repeat(50));

describe('Jobs API: cancel, retry, backfill on the running pipeline', () => {
  const tenant = `itest-ctl-${rand()}`;
  const otherTenant = `itest-ctl-other-${rand()}`;
  const storage = new ObjectStorage();
  let db: Client;
  let gw: GatewayDb;
  let gateway: GatewayProcess;
  let services: ServiceProcess[] = [];
  let transcoder: ServiceProcess;
  let api: JobsApi;
  let key: string;
  let adminKey: string;
  let otherKey: string;
  let dir: string;
  let smallClip: string;
  let longClip: string;

  const failedUpload = async (apiKey: string): Promise<string> => {
    const res = await upload(gateway.url, apiKey, [
      { name: 'video_file', filename: 'clip.mp4', content: NOT_A_VIDEO },
      { name: 'target_resolutions', value: '360p' },
      { name: 'enable_transcription', value: 'false' },
    ]);
    expect(res.status).toBe(202);
    return res.json<{ job_id: string }>().job_id;
  };
  const sourceOf = async (id: string): Promise<{ bucket: string; key: string }> =>
    (await db.query(`SELECT source FROM gateway.jobs WHERE id = $1`, [id])).rows[0].source;
  const putSource = async (id: string, clip: string) => {
    const src = await sourceOf(id);
    await storage.putFile(src.bucket, src.key, clip, 'video/mp4');
  };
  const created = async (id: string): Promise<Date> =>
    new Date((await api.get(key, id)).json<{ created_at: string }>().created_at);
  const isFailed = (j: JobBody) => j.status === 'failed';
  const isCompleted = (j: JobBody) => j.status === 'completed';

  beforeAll(async () => {
    await storage.ensureBuckets();
    db = await connectDb();
    gw = await GatewayDb.open();
    dir = await makeTempDir('tf-itest-jobs-');
    [smallClip, longClip] = await Promise.all([
      makeClip(join(dir, 'small.mp4'), { width: 640, height: 360, durationS: 2, fps: 25, faststart: true }),
      // 1080p, 30 s: ffmpeg is surely still encoding when the test cancels on the first progress report.
      makeClip(join(dir, 'long.mp4'), { width: 1920, height: 1080, durationS: 30, fps: 30, faststart: true }),
    ]);
    [gateway, ...services] = await Promise.all([
      startGateway({ TF_BOOTSTRAP_API_KEY: newBootstrapKey() }),
      startService('validator'),
      startService('transcoder'),
      startService('hls'),
      startService('transcriber'),
    ]);
    transcoder = services[1];
    api = new JobsApi(gateway.url);
    key = await gw.createKey(tenant, ['jobs:read', 'jobs:write']);
    adminKey = await gw.createKey(tenant, ['admin']);
    otherKey = await gw.createKey(otherTenant, ['jobs:read', 'jobs:write']);
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.kill()));
    await gateway?.stop();
    await gw?.close();
    await db?.end();
    if (dir) await removeDir(dir);
  });

  describe('retry', () => {
    it('restarts a job that failed validation from VideoUploaded once its source is fixed; it completes once', async () => {
      const id = await failedUpload(key);
      const failed = await waitForJob(api, key, id, 'failed', isFailed);
      expect(stageOf(failed, 'validate')?.status).toBe('failed');
      expect(failed.error?.code).toMatch(/^[A-Z][A-Z0-9_]+$/);

      // Without a source the validation would fail again at once: refused.
      const src = await sourceOf(id);
      await storage.removePrefix(src.bucket, src.key);
      const noSource = await api.retry(key, id);
      expect(noSource.status).toBe(409);
      expect(noSource.json()).toMatchObject({ code: 'SOURCE_MISSING' });

      await putSource(id, smallClip);
      expect((await api.retry(otherKey, id)).status).toBe(404);
      const retried = await api.retry(key, id);
      expect(retried.status).toBe(202);
      expect(retried.json()).toEqual({ job_id: id, status: 'processing', attempt: 2, restarted_stages: ['validate'] });
      // A second retry while it runs again: the job is not failed any more.
      expect((await api.retry(key, id)).json()).toMatchObject({ code: 'JOB_NOT_RETRYABLE' });

      const done = await waitForJob(api, key, id, 'completed', isCompleted);
      expect(done).toMatchObject({ attempt: 2, error: null });
      expect(stageOf(done, 'validate')).toMatchObject({ status: 'completed' });
      expect(await emitted(db, 'gateway', 'VideoCompleted', id)).toBe(1);
      expect(await emitted(db, 'gateway', 'VideoUploaded', id)).toBe(2);

      const again = await api.retry(key, id);
      expect(again.status).toBe(409);
      expect(again.json()).toMatchObject({ code: 'JOB_NOT_RETRYABLE' });
      expect((await api.cancel(key, id)).json()).toMatchObject({ code: 'JOB_NOT_CANCELLABLE' });
    });

    it('restarts only the failed stages that share VideoValidated (only_stage): one RenditionsReady, one TranscriptReady, one VideoCompleted', async () => {
      // The job row alone, its source not in S3 yet; the test plays the validator's part.
      const job = await gw.insertJob(tenant, { spec: { enable_transcription: true, target_resolutions: ['360p'] } });
      const events = await EventPublisher.connect();
      try {
        await events.publish('VideoValidated', {
          ...newEnvelope(job.id),
          source: job.source,
          spec: job.spec,
          media: await probeMedia(smallClip),
          only_stage: null,
        });
      } finally {
        await events.disconnect();
      }
      const failed = await waitForJob(
        api,
        key,
        job.id,
        'failed at transcode and transcribe',
        (j) =>
          isFailed(j) && stageOf(j, 'transcode')?.status === 'failed' && stageOf(j, 'transcribe')?.status === 'failed',
      );
      expect(failed.error?.code).toBe('SOURCE_MISSING');
      expect(stageOf(failed, 'transcode')?.detail).toMatch(/^SOURCE_MISSING/);

      await storage.putFile(job.source.bucket, job.source.key, smallClip, 'video/mp4');
      const retried = await api.retry(key, job.id);
      expect(retried.status).toBe(202);
      expect(retried.json()).toMatchObject({ attempt: 2, restarted_stages: ['transcode', 'transcribe'] });
      const running = (await api.get(key, job.id)).json<JobBody>();
      expect(stageOf(running, 'transcode')?.detail).toMatch(/^retry 2 after SOURCE_MISSING/);

      const done = await waitForJob(api, key, job.id, 'completed', isCompleted);
      expect(done.attempt).toBe(2);
      expect(await emitted(db, 'transcoder', 'RenditionsReady', job.id)).toBe(1);
      expect(await emitted(db, 'transcriber', 'TranscriptReady', job.id)).toBe(1);
      expect(await emitted(db, 'gateway', 'VideoCompleted', job.id)).toBe(1);
      expect(await emitted(db, 'gateway', 'VideoValidated', job.id)).toBe(2);
    });
  });

  describe('cancel', () => {
    it('cancels a job while ffmpeg encodes it: the encode stops, outputs are removed, no VideoCompleted ever', async () => {
      const res = await upload(gateway.url, key, [
        { name: 'video_file', filename: 'long.mp4', content: await readFile(longClip) },
        { name: 'target_resolutions', value: '360p,720p,1080p' },
        { name: 'labels', value: 'cancel-me' },
      ]);
      expect(res.status).toBe(202);
      const id = res.json<{ job_id: string }>().job_id;
      const sse = await SseClient.open(`${gateway.url}/api/v1/events/jobs/${id}`, key);

      // A JobProgress of the transcode reached the job's event stream: ffmpeg is running.
      await sse.waitForEvent(
        'transcode progress on SSE',
        (e) => e.event === 'progress' && e.data.stage === 'transcode',
        300_000,
      );
      // Every transcoder of the group runs on this machine (this test's and the stack's), so the job's ffmpeg is
      // visible in `ps` by its scratch path (tf-transcode-<job id>-…): wait until it is seen, before cancelling.
      const encoderBefore = await waitFor(
        'an ffmpeg of the job to run',
        async () => {
          const seen = await processesMentioning(`tf-transcode-${id}`);
          return seen.some((line) => line.includes('ffmpeg')) && seen;
        },
        120_000,
      );

      const cancelled = await api.cancel(key, id, { reason: 'wrong file' });
      expect(cancelled.status).toBe(200);
      const body = cancelled.json<{ job_id: string; status: string; cancelled_at: string }>();
      expect(body).toEqual({ job_id: id, status: 'cancelled', cancelled_at: expect.any(String) });
      // The stream ends with a `cancelled` event carrying the final job.
      await sse.waitForEnd();
      expect(sse.events[sse.events.length - 1]).toMatchObject({
        event: 'cancelled',
        data: { status: 'cancelled', job: { status: 'cancelled' } },
      });

      const job = (await api.get(key, id)).json<JobBody>();
      expect(job).toMatchObject({ status: 'cancelled', cancelled_at: body.cancelled_at });
      expect(stageOf(job, 'transcode')).toMatchObject({ status: 'cancelled', detail: 'cancelled: wrong file' });
      expect(stageOf(job, 'package')).toMatchObject({ status: 'cancelled' });

      // The instance that ran it (this test's transcoder or another one in the group) logs the abort.
      const abandoned = `${id}: cancelled, transcode abandoned`;
      await waitFor(
        'the transcoder to abandon the job',
        async () => {
          if (transcoder.output().includes(abandoned)) return true;
          const shared = await readFile(join(repoRoot, '.stack/logs/transcoder.log'), 'utf8').catch(() => '');
          return shared.includes(abandoned);
        },
        120_000,
      );
      // No ffmpeg of the job is left (the scratch directory, which ffmpeg's arguments name, carries the job id).
      await waitFor('no process of the job', async () => (await processesMentioning(id)).length === 0, 60_000);
      expect(encoderBefore.join('\n')).toContain('ffmpeg');

      await waitFor(
        'processed-videos and hls-streams of the job to be empty',
        async () => {
          const [processed, hls] = await Promise.all([
            storage.listKeys(Buckets.processed, `${id}/`),
            storage.listKeys(Buckets.hls, `${id}/`),
          ]);
          return processed.length === 0 && hls.length === 0;
        },
        120_000,
      );
      // The gateway's tracker swept once (JobCancelled applied by its group).
      await waitFor(
        'the tracker to apply JobCancelled',
        async () => {
          const { rows } = await db.query(
            `SELECT count(*)::int AS n FROM gateway.inbox i JOIN gateway.outbox o ON o.id = i.event_id WHERE o.type = 'JobCancelled' AND o.aggregateid = $1 AND i.consumer_group = 'tf-gateway-jobs'`,
            [id],
          );
          return rows[0].n === 1;
        },
        120_000,
      );

      expect(await emitted(db, 'transcoder', 'RenditionsReady', id)).toBe(0);
      expect(await emitted(db, 'gateway', 'VideoCompleted', id)).toBe(0);
      expect(await emitted(db, 'gateway', 'JobCancelled', id)).toBe(1);
      expect((await api.get(key, id)).json()).toMatchObject({ status: 'cancelled' });

      // Idempotent; a cancelled job is not retried; the list filters on the status.
      const twice = await api.cancel(key, id);
      expect(twice.status).toBe(200);
      expect(twice.json()).toEqual(body);
      expect(await emitted(db, 'gateway', 'JobCancelled', id)).toBe(1);
      expect((await api.retry(key, id)).json()).toMatchObject({ code: 'JOB_NOT_RETRYABLE' });
      expect((await api.listAll(key, { status: 'cancelled', label: 'cancel-me' })).ids).toEqual([id]);
    });

    it('answers 404 for another tenant’s job and 400 for a bad reason', async () => {
      const id = (await gw.insertJob(tenant)).id;
      expect((await api.cancel(otherKey, id)).status).toBe(404);
      const bad = await api.cancel(key, id, { reason: 42 });
      expect(bad.status).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'INVALID_REASON' });
    });
  });

  describe('backfill', () => {
    it('retries the failed jobs created in the range (tenant-scoped) with one command, and leaves the others alone', async () => {
      const before = await failedUpload(key);
      const from = new Date((await created(before)).getTime() + 1);
      const inRange = [await failedUpload(key), await failedUpload(key)];
      const otherTenantJob = await failedUpload(otherKey);
      const to = new Date((await created(inRange[1])).getTime() + 1);
      const after = await failedUpload(key);
      for (const id of [before, ...inRange, after]) await waitForJob(api, key, id, 'failed', isFailed);
      await waitForJob(api, otherKey, otherTenantJob, 'failed', isFailed);
      for (const id of inRange) await putSource(id, smallClip);

      // The admin route: a dry run lists them and changes nothing; a tenant's admin key stays in its tenant.
      const range = { from: from.toISOString(), to: to.toISOString() };
      const dry = await api.backfill(adminKey, { ...range, dry_run: true });
      expect(dry.status).toBe(200);
      expect(dry.json()).toEqual({
        dry_run: true,
        ...range,
        tenant: tenant,
        matched: 2,
        retried: 0,
        skipped: [],
        job_ids: inRange,
      });
      expect((await api.get(key, inRange[0])).json()).toMatchObject({ status: 'failed', attempt: 1 });
      expect((await api.backfill(adminKey, { ...range, tenant: otherTenant })).json()).toMatchObject({
        code: 'PLATFORM_ADMIN_REQUIRED',
      });
      expect((await api.backfill(key, range)).json()).toMatchObject({ code: 'INSUFFICIENT_SCOPE' });
      expect((await api.backfill(adminKey, { from: range.to, to: range.from })).json()).toMatchObject({
        code: 'INVALID_RANGE',
      });

      // One command: the admin API, with the tenant's admin key.
      const operator = { url: gateway.url, key: adminKey };
      const { stdout } = await tflow(
        ['jobs', 'backfill', '--from', range.from, '--to', range.to, '--tenant', tenant],
        operator,
      );
      expect(stdout.split('\n')[0]).toBe(
        `retried 2 of 2 failed job(s) created in [${range.from}, ${range.to}) of tenant ${tenant}`,
      );

      for (const id of inRange) {
        const done = await waitForJob(api, key, id, 'completed', isCompleted);
        expect(done.attempt).toBe(2);
        expect(await emitted(db, 'gateway', 'VideoCompleted', id)).toBe(1);
      }
      for (const id of [before, after])
        expect((await api.get(key, id)).json()).toMatchObject({ status: 'failed', attempt: 1 });
      expect((await api.get(otherKey, otherTenantJob)).json()).toMatchObject({ status: 'failed', attempt: 1 });

      const rerun = await tflow(
        ['jobs', 'backfill', '--from', range.from, '--to', range.to, '--tenant', tenant, '--json'],
        operator,
      );
      expect(JSON.parse(rerun.stdout)).toMatchObject({ matched: 0, retried: 0 });
    });
  });
});
