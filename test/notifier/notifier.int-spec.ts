import { Topics } from '@tf/contracts';
import { AvroCodec } from '@tf/messaging';
import { randomBytes, randomUUID } from 'node:crypto';
import { verifyWebhookSignature } from '../../apps/notifier/src/webhook-signature';
import { ServiceProcess, startTsProcess } from '../support/processes';
import { waitFor } from '../support/wait';
import { NotifierHarness, jobFailed, videoCompleted } from './notifier-harness';
import { WebhookReceiver, startWebhookReceiver } from './webhook-receiver';

// The notifier on the real stack: two replicas (so SKIP LOCKED claims are exercised), a local HTTP
// receiver as the client's endpoint, events published to the pipeline topics as Avro.
const MAX_ATTEMPTS = 4;
const SECRET = `itest-secret-${randomUUID()}`;

describe('notifier: pipeline events → signed webhooks with retries', () => {
  const run = randomUUID().slice(0, 8);
  const codec = new AvroCodec();
  const replicas: ServiceProcess[] = [];
  const receivers: WebhookReceiver[] = [];
  let h: NotifierHarness;

  const receiver = async (respond: (n: number) => number) => {
    const r = await startWebhookReceiver(respond);
    receivers.push(r);
    return r;
  };

  beforeAll(async () => {
    h = await new NotifierHarness().connect();
    const env = {
      TF_HTTP_PORT: '0',
      TF_WEBHOOK_SECRET: SECRET,
      TF_WEBHOOK_BASE_DELAY_MS: '200',
      TF_WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    };
    for (let i = 0; i < 2; i++) replicas.push(startTsProcess('apps/notifier/src/main.ts', env));
    await Promise.all(replicas.map((r) => r.waitForOutput(/webhook delivery loop started/)));
    await Promise.all(replicas.map((r) => r.waitForOutput(/joined group tf-notifier/)));
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.kill()));
    await Promise.all(receivers.map((r) => r.close()));
    await h?.close();
  });

  it('delivers a VideoCompleted published twice exactly once, after two failed attempts, signed and recorded', async () => {
    const hook = await receiver((n) => (n <= 2 ? 500 : 200));
    const jobId = `itest-notify-${run}-completed`;
    const event = videoCompleted(jobId, hook.url);
    const value = await codec.encode('VideoCompleted', event);
    await h.publishAndWaitConsumed(Topics.VideoCompleted, jobId, [value, value]);

    const delivery = await h.waitForStatus(event.event_id, 'delivered');
    expect(delivery).toMatchObject({
      job_id: jobId,
      event_type: 'video.completed',
      url: hook.url,
      attempts: 3,
      last_status_code: 200,
      last_error: null,
    });
    expect(delivery.delivered_at).not.toBeNull();
    expect(await h.deliveriesOfJob(jobId)).toHaveLength(1);

    expect(hook.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    for (const r of hook.requests) {
      expect(r.method).toBe('POST');
      expect(r.headers).toMatchObject({
        'content-type': 'application/json',
        'user-agent': 'TranscodeFlow-Webhooks/1',
        'tf-event-id': event.event_id,
        'idempotency-key': event.event_id,
      });
      expect(verifyWebhookSignature(SECRET, r.headers['tf-signature'] as string, r.body, 300)).toBe(true);
      expect(verifyWebhookSignature('another-secret', r.headers['tf-signature'] as string, r.body, 300)).toBe(false);
    }
    expect(new Set(hook.requests.map((r) => r.body)).size).toBe(1);
    expect(JSON.parse(hook.requests[2].body)).toEqual({
      type: 'video.completed',
      event_id: event.event_id,
      job_id: jobId,
      occurred_at: new Date(event.occurred_at).toISOString(),
      data: { outputs: event.outputs },
    });

    const attempts = await h.attemptsOf(delivery.id);
    expect(attempts.map((a) => [a.attempt, a.status_code])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(attempts[0].error).toMatch(/^HTTP 500/);
    expect(attempts[2].error).toBeNull();
    for (const a of attempts) expect(a.duration_ms).toEqual(expect.any(Number));
  });

  it("writes the job_id and the job's trace_id on the log lines of every attempt (the delivery keeps the trace)", async () => {
    const hook = await receiver((n) => (n <= 1 ? 503 : 200));
    const jobId = `itest-notify-${run}-traced`;
    const traceId = randomBytes(16).toString('hex');
    const event = videoCompleted(jobId, hook.url);
    await h.publishAndWaitConsumed(Topics.VideoCompleted, jobId, [await codec.encode('VideoCompleted', event)], {
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    });
    const delivery = await h.waitForStatus(event.event_id, 'delivered');
    expect(delivery.trace_id).toBe(traceId);
    const lines = await waitFor(
      'the attempt lines',
      async () => {
        const all = replicas
          .flatMap((r) => r.output().split('\n'))
          .filter((l) => l.startsWith('{') && l.includes(event.event_id) && l.includes('attempt'))
          .map((l) => JSON.parse(l) as { time: string; msg: string; job_id?: string; trace_id?: string })
          // The attempts may run on either replica: their lines in the order they were written.
          .sort((a, b) => a.time.localeCompare(b.time));
        return all.some((l) => l.msg.includes('delivered')) ? all : undefined;
      },
      30_000,
    );
    expect(lines.map((l) => /retrying|delivered/.exec(l.msg)?.[0])).toEqual(['retrying', 'delivered']);
    for (const line of lines) expect(line).toMatchObject({ job_id: jobId, trace_id: traceId });
  });

  it('sends one failure webhook for a job that failed twice (the first failure)', async () => {
    const hook = await receiver(() => 204);
    const jobId = `itest-notify-${run}-failed-twice`;
    const first = jobFailed(jobId, hook.url, 'transcode', 'TRANSCODE_FAILED');
    const second = jobFailed(jobId, hook.url, 'transcribe', 'TRANSCRIPTION_FAILED');
    await h.publishAndWaitConsumed(Topics.JobFailed, jobId, [
      await codec.encode('JobFailed', first),
      await codec.encode('JobFailed', second),
    ]);

    await h.waitForStatus(first.event_id, 'delivered');
    const rows = await h.deliveriesOfJob(jobId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ event_id: first.event_id, event_type: 'job.failed', attempts: 1 });
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0].headers['tf-event-id']).toBe(first.event_id);
    expect(JSON.parse(hook.requests[0].body)).toEqual({
      type: 'job.failed',
      event_id: first.event_id,
      job_id: jobId,
      occurred_at: new Date(first.occurred_at).toISOString(),
      data: { stage: 'transcode', code: 'TRANSCODE_FAILED', message: 'transcode gave up', retryable: false },
    });
  });

  it('gives up on an endpoint that always fails after max attempts, recording every attempt', async () => {
    const hook = await receiver(() => 503);
    const jobId = `itest-notify-${run}-always-failing`;
    const event = videoCompleted(jobId, hook.url);
    await h.publishAndWaitConsumed(Topics.VideoCompleted, jobId, [await codec.encode('VideoCompleted', event)]);

    const delivery = await h.waitForStatus(event.event_id, 'failed');
    expect(delivery).toMatchObject({ attempts: MAX_ATTEMPTS, last_status_code: 503, delivered_at: null });
    expect(delivery.last_error).toMatch(/^HTTP 503/);
    expect(hook.requests).toHaveLength(MAX_ATTEMPTS);
    expect((await h.attemptsOf(delivery.id)).map((a) => [a.attempt, a.status_code])).toEqual(
      Array.from({ length: MAX_ATTEMPTS }, (_, i) => [i + 1, 503]),
    );
  });

  it('records an unreachable endpoint as connection errors, and ignores jobs without a webhook_url', async () => {
    const closed = await startWebhookReceiver(() => 200);
    await closed.close(); // nothing listens on this port any more
    const unreachableJob = `itest-notify-${run}-unreachable`;
    const unreachable = videoCompleted(unreachableJob, closed.url);
    const silentJob = `itest-notify-${run}-no-webhook`;
    await h.publishAndWaitConsumed(Topics.VideoCompleted, silentJob, [
      await codec.encode('VideoCompleted', videoCompleted(silentJob, null)),
    ]);
    await h.publishAndWaitConsumed(Topics.VideoCompleted, unreachableJob, [
      await codec.encode('VideoCompleted', unreachable),
    ]);

    const delivery = await h.waitForStatus(unreachable.event_id, 'failed');
    expect(delivery).toMatchObject({ attempts: MAX_ATTEMPTS, last_status_code: null });
    expect(delivery.last_error).toMatch(/ECONNREFUSED/);
    expect(await h.attemptsOf(delivery.id)).toHaveLength(MAX_ATTEMPTS);
    expect(await h.deliveriesOfJob(silentJob)).toHaveLength(0);
  });
});
