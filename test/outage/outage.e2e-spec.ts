import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSampleClip } from '@tf/testing';
import { WebhookReceiver, startWebhookReceiver } from '../notifier/webhook-receiver';
import { client } from '../pipeline/pipeline-harness';
import { ServiceProcess } from '../support/processes';
import { StackServer, startServer, stopServer } from '../support/stack-servers';
import { waitFor } from '../support/wait';
import { OUTAGE_APPS, OutageApp, launchApp, metricSum, startApp, untilHealthy } from './outage-harness';

// Outages delay jobs, never fail them (issue 8 §6): S3, Postgres and the Kafka broker go away while
// jobs run; every job completes once the server is back, none fails, and each sends one completion
// webhook. The services run with short retry delays (outage-harness SHORT_RETRIES). Timings are
// reported on stderr, never asserted.

const JOBS = 8;
const S3_OUTAGE_MS = 120_000;

interface Waiting {
  stage: string;
  retry: { attempt: number; next_attempt_at: string; reason: string };
}

describe('outages delay jobs, never fail them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-outage-'));
  const api = client();
  const apps = new Map<OutageApp, ServiceProcess>();
  const stopped = new Set<StackServer>();
  let receiver: WebhookReceiver;
  let clip: string;
  const timings: Record<string, number> = {};

  const report = (name: string, ms: number) => {
    timings[name] = Math.round(ms / 100) / 10;
    process.stderr.write(`[outage] ${name}: ${timings[name]} s\n`);
  };

  const submit = () =>
    Promise.all(
      Array.from({ length: JOBS }, () =>
        api
          .uploadFile(clip, {
            targetResolutions: ['360p'],
            enableHls: true,
            enableTranscription: false,
            webhookUrl: receiver.url,
          })
          .then((j) => j.job_id),
      ),
    );

  const stop = async (server: StackServer) => {
    stopped.add(server);
    await stopServer(server);
  };
  const start = async (server: StackServer) => {
    await startServer(server);
    stopped.delete(server);
  };

  /** Every job ends completed; then exactly one distinct video.completed webhook per job, and no job.failed. */
  const expectAllCompletedOnce = async (jobIds: string[]) => {
    const finished = await Promise.all(jobIds.map((id) => api.waitForJob(id)));
    expect(finished.map((j) => [j.job_id, j.status, j.error?.code ?? null])).toEqual(
      jobIds.map((id) => [id, 'completed', null]),
    );
    const hooksOf = (id: string) =>
      receiver.requests
        .map((r) => JSON.parse(r.body) as { type: string; job_id: string; event_id: string })
        .filter((b) => b.job_id === id);
    await waitFor(
      'a completion webhook for every job',
      async () => jobIds.every((id) => hooksOf(id).some((h) => h.type === 'video.completed')),
      120_000,
      500,
    );
    for (const id of jobIds) {
      const hooks = hooksOf(id);
      // Delivery is at least once (receivers dedupe on TF-Event-Id): one event, however many requests.
      expect({
        id,
        completed: new Set(hooks.filter((h) => h.type === 'video.completed').map((h) => h.event_id)).size,
        failed: hooks.filter((h) => h.type === 'job.failed').length,
      }).toEqual({
        id,
        completed: 1,
        failed: 0,
      });
    }
  };

  beforeAll(async () => {
    clip = await makeSampleClip(join(dir, 'tiny.mp4'), { width: 320, height: 240, durationS: 2, tone: true });
    receiver = await startWebhookReceiver(() => 200);
    const t0 = Date.now();
    await Promise.all((Object.keys(OUTAGE_APPS) as OutageApp[]).map(async (app) => apps.set(app, await startApp(app))));
    report('services start', Date.now() - t0);
  });

  afterAll(async () => {
    // Whatever happened, the shared stack is whole again before the lock is released.
    for (const server of stopped) await startServer(server);
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`[outage] timings (s): ${JSON.stringify(timings)}\n`);
  });

  it('S3 stopped for 2 minutes during 8 jobs: the jobs wait (status shows stage, attempt, next try), a service started meanwhile waits for S3, and all complete once it returns', async () => {
    const retriesBefore = await Promise.all(
      (['validator', 'transcoder', 'hls'] as const).map((a) => metricSum(a, 'tf_retries_scheduled_total')),
    );
    const jobIds = await submit();
    const t0 = Date.now();
    await stop('s3');

    // A job waiting for its retry says so in its status: which stage, which attempt comes, when.
    const waiting = await waitFor(
      'a job whose status shows a waiting retry',
      async () => {
        for (const id of jobIds) {
          const job = await api.getJob(id);
          const entry = (job.timeline as unknown as Waiting[]).find((e) => e.retry);
          if (entry) return { id, status: job.status, entry };
        }
        return undefined;
      },
      S3_OUTAGE_MS - 20_000,
      1000,
    );
    report('S3 down → first waiting retry in a job status', Date.now() - t0);
    expect(waiting.status).toBe('processing');
    expect(['validate', 'transcode', 'package']).toContain(waiting.entry.stage);
    expect(waiting.entry.retry.attempt).toBeGreaterThanOrEqual(2);
    expect(waiting.entry.retry.reason).toMatch(/^(STORAGE|DEPENDENCY)_UNAVAILABLE$/);
    expect(Number.isNaN(Date.parse(waiting.entry.retry.next_attempt_at))).toBe(false);
    // The same through GraphQL.
    const gql = await api.graphql<{ job: { timeline: Array<{ stage: string; retry: Waiting['retry'] | null }> } }>(
      'query ($id: ID!) { job(id: $id) { timeline { stage retry { attempt next_attempt_at reason } } } }',
      { id: waiting.id },
    );
    expect(gql.errors).toBeUndefined();
    expect(gql.data?.job.timeline.some((e) => e.retry !== null)).toBe(true);

    // A service (re)started while S3 is down waits for it instead of exiting.
    const retriesByFirstValidator = await metricSum('validator', 'tf_retries_scheduled_total');
    await apps.get('validator')!.kill();
    const restarted = launchApp('validator');
    await restarted.waitForOutput(/waiting for S3/, 120_000);

    await new Promise((r) => setTimeout(r, Math.max(0, S3_OUTAGE_MS - (Date.now() - t0))));
    await start('s3');
    const back = Date.now();
    report('S3 outage', back - t0);
    apps.set('validator', await untilHealthy('validator', restarted));
    expect(restarted.output()).toMatch(/S3 is available/);

    await expectAllCompletedOnce(jobIds);
    report('S3 back → all 8 jobs completed and notified', Date.now() - back);
    const retriesAfter = await Promise.all(
      (['validator', 'transcoder', 'hls'] as const).map((a) => metricSum(a, 'tf_retries_scheduled_total')),
    );
    // The waits went through the retry topics (the restarted validator counts from 0, so the first one's count is added).
    const scheduled =
      retriesByFirstValidator + retriesAfter.reduce((a, b) => a + b, 0) - retriesBefore.reduce((a, b) => a + b, 0);
    process.stderr.write(`[outage] durable retries scheduled during the S3 outage: ${scheduled}\n`);
    expect(scheduled).toBeGreaterThan(0);
  });

  it('Postgres restarted mid-pipeline: all 8 jobs complete, none fails, one completion webhook each', async () => {
    const jobIds = await submit();
    const t0 = Date.now();
    await stop('postgres');
    await start('postgres');
    const back = Date.now();
    report('Postgres restart (stop + start)', back - t0);
    await expectAllCompletedOnce(jobIds);
    report('Postgres back → all 8 jobs completed and notified', Date.now() - back);
  });

  it('the Kafka broker restarted mid-pipeline: all 8 jobs complete, none fails, one completion webhook each', async () => {
    const jobIds = await submit();
    const t0 = Date.now();
    await stop('kafka');
    await start('kafka');
    const back = Date.now();
    report('Kafka restart (stop + start)', back - t0);
    await expectAllCompletedOnce(jobIds);
    report('Kafka back → all 8 jobs completed and notified', Date.now() - back);
  });
});
