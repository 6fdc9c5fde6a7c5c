import { JobFailed, JobSpec, Topics, VideoCompleted, newEnvelope } from '@tf/contracts';
import { AvroCodec, createKafka } from '@tf/messaging';
import { databaseUrl } from '@tf/persistence';
import { randomUUID } from 'node:crypto';
import { Admin, Producer, RecordMetadata } from 'kafkajs';
import { Client } from 'pg';
import { verifyWebhookSignature } from '../../apps/notifier/src/webhook-signature';
import { ServiceProcess, startTsProcess } from '../support/processes';
import { waitFor } from '../support/wait';
import { WebhookReceiver, startWebhookReceiver } from './webhook-receiver';

// The notifier on the real stack: two replicas (so SKIP LOCKED claims are exercised), a local HTTP
// receiver as the client's endpoint, events published to the pipeline topics as Avro.
const MAX_ATTEMPTS = 4;
const SECRET = `itest-secret-${randomUUID()}`;
const GROUP = 'tf-notifier';

describe('notifier: pipeline events → signed webhooks with retries', () => {
  const run = randomUUID().slice(0, 8);
  const codec = new AvroCodec();
  const replicas: ServiceProcess[] = [];
  const receivers: WebhookReceiver[] = [];
  let db: Client;
  let producer: Producer;
  let admin: Admin;

  const receiver = async (respond: (n: number) => number) => {
    const r = await startWebhookReceiver(respond);
    receivers.push(r);
    return r;
  };
  const spec = (webhook_url: string | null): JobSpec => ({
    tenant_id: 'itest', target_resolutions: ['360p'], enable_hls: true, enable_transcription: false, webhook_url, priority: 'normal', language: null,
  });
  const completed = (jobId: string, url: string | null): VideoCompleted => ({
    ...newEnvelope(jobId),
    spec: spec(url),
    outputs: [{ kind: 'rendition', label: '360p', object: { bucket: 'processed-videos', key: `${jobId}/360p.mp4`, bytes: 4096, content_type: 'video/mp4' } }],
  });
  const failed = (jobId: string, url: string, stage: string, code: string): JobFailed => ({
    ...newEnvelope(jobId), spec: spec(url), stage, code, message: `${stage} gave up`, retryable: false,
  });

  /** Publishes the values in one batch and waits until the notifier group committed past all of them. */
  async function publishAndWaitConsumed(topic: string, jobId: string, values: Buffer[]): Promise<void> {
    const sent: RecordMetadata[] = await producer.send({ topic, messages: values.map((value) => ({ key: jobId, value })) });
    const { partition, baseOffset } = sent[0];
    const needed = BigInt(baseOffset!) + BigInt(values.length);
    await waitFor(`${GROUP} to consume ${topic}[${partition}] up to ${needed}`, async () => {
      const [offsets] = await admin.fetchOffsets({ groupId: GROUP, topics: [topic] });
      const committed = offsets.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      return BigInt(committed) >= needed;
    }, 120_000);
  }

  const deliveriesOfJob = async (jobId: string) =>
    (await db.query(`SELECT * FROM notifier.webhook_deliveries WHERE job_id = $1 ORDER BY created_at`, [jobId])).rows;
  const attemptsOf = async (deliveryId: string) =>
    (await db.query(`SELECT * FROM notifier.webhook_attempts WHERE delivery_id = $1 ORDER BY attempt`, [deliveryId])).rows;
  const waitForStatus = (eventId: string, status: string) =>
    waitFor(`delivery of ${eventId} ${status}`, async () => {
      const { rows } = await db.query(`SELECT * FROM notifier.webhook_deliveries WHERE event_id = $1`, [eventId]);
      return rows[0]?.status === status ? rows[0] : undefined;
    }, 120_000);

  beforeAll(async () => {
    db = new Client({ connectionString: databaseUrl() });
    await db.connect();
    const kafka = createKafka(`itest-notifier-${run}`);
    producer = kafka.producer();
    admin = kafka.admin();
    await Promise.all([producer.connect(), admin.connect()]);
    const env = { TF_HTTP_PORT: '0', TF_WEBHOOK_SECRET: SECRET, TF_WEBHOOK_BASE_DELAY_MS: '200', TF_WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS) };
    for (let i = 0; i < 2; i++) replicas.push(startTsProcess('apps/notifier/src/main.ts', env));
    await Promise.all(replicas.map((r) => r.waitForOutput(/webhook delivery loop started/)));
    await Promise.all(replicas.map((r) => r.waitForOutput(/joined group tf-notifier/)));
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.kill()));
    await Promise.all(receivers.map((r) => r.close()));
    await Promise.all([producer?.disconnect(), admin?.disconnect()]);
    await db?.end();
  });

  it('delivers a VideoCompleted published twice exactly once, after two failed attempts, signed and recorded', async () => {
    const hook = await receiver((n) => (n <= 2 ? 500 : 200));
    const jobId = `itest-notify-${run}-completed`;
    const event = completed(jobId, hook.url);
    const value = await codec.encode('VideoCompleted', event);
    await publishAndWaitConsumed(Topics.VideoCompleted, jobId, [value, value]);

    const delivery = await waitForStatus(event.event_id, 'delivered');
    expect(delivery).toMatchObject({ job_id: jobId, event_type: 'video.completed', url: hook.url, attempts: 3, last_status_code: 200, last_error: null });
    expect(delivery.delivered_at).not.toBeNull();
    expect(await deliveriesOfJob(jobId)).toHaveLength(1);

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

    const attempts = await attemptsOf(delivery.id);
    expect(attempts.map((a) => [a.attempt, a.status_code])).toEqual([[1, 500], [2, 500], [3, 200]]);
    expect(attempts[0].error).toMatch(/^HTTP 500/);
    expect(attempts[2].error).toBeNull();
    for (const a of attempts) expect(a.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('sends one failure webhook for a job that failed twice (the first failure)', async () => {
    const hook = await receiver(() => 204);
    const jobId = `itest-notify-${run}-failed-twice`;
    const first = failed(jobId, hook.url, 'transcode', 'FFMPEG_FAILED');
    const second = failed(jobId, hook.url, 'transcribe', 'WHISPER_FAILED');
    await publishAndWaitConsumed(Topics.JobFailed, jobId, [await codec.encode('JobFailed', first), await codec.encode('JobFailed', second)]);

    await waitForStatus(first.event_id, 'delivered');
    const rows = await deliveriesOfJob(jobId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ event_id: first.event_id, event_type: 'job.failed', attempts: 1 });
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0].headers['tf-event-id']).toBe(first.event_id);
    expect(JSON.parse(hook.requests[0].body)).toEqual({
      type: 'job.failed',
      event_id: first.event_id,
      job_id: jobId,
      occurred_at: new Date(first.occurred_at).toISOString(),
      data: { stage: 'transcode', code: 'FFMPEG_FAILED', message: 'transcode gave up', retryable: false },
    });
  });

  it('gives up on an endpoint that always fails after max attempts, recording every attempt', async () => {
    const hook = await receiver(() => 503);
    const jobId = `itest-notify-${run}-always-failing`;
    const event = completed(jobId, hook.url);
    await publishAndWaitConsumed(Topics.VideoCompleted, jobId, [await codec.encode('VideoCompleted', event)]);

    const delivery = await waitForStatus(event.event_id, 'failed');
    expect(delivery).toMatchObject({ attempts: MAX_ATTEMPTS, last_status_code: 503, delivered_at: null });
    expect(delivery.last_error).toMatch(/^HTTP 503/);
    expect(hook.requests).toHaveLength(MAX_ATTEMPTS);
    expect((await attemptsOf(delivery.id)).map((a) => [a.attempt, a.status_code])).toEqual(
      Array.from({ length: MAX_ATTEMPTS }, (_, i) => [i + 1, 503]),
    );
  });

  it('records an unreachable endpoint as connection errors, and ignores jobs without a webhook_url', async () => {
    const closed = await startWebhookReceiver(() => 200);
    await closed.close(); // nothing listens on this port any more
    const unreachableJob = `itest-notify-${run}-unreachable`;
    const unreachable = completed(unreachableJob, closed.url);
    const silentJob = `itest-notify-${run}-no-webhook`;
    await publishAndWaitConsumed(Topics.VideoCompleted, silentJob, [await codec.encode('VideoCompleted', completed(silentJob, null))]);
    await publishAndWaitConsumed(Topics.VideoCompleted, unreachableJob, [await codec.encode('VideoCompleted', unreachable)]);

    const delivery = await waitForStatus(unreachable.event_id, 'failed');
    expect(delivery).toMatchObject({ attempts: MAX_ATTEMPTS, last_status_code: null });
    expect(delivery.last_error).toMatch(/ECONNREFUSED/);
    expect(await attemptsOf(delivery.id)).toHaveLength(MAX_ATTEMPTS);
    expect(await deliveriesOfJob(silentJob)).toHaveLength(0);
  });
});
