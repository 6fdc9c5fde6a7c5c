import { JobFailed, JobSpec, VideoCompleted, newEnvelope } from '@tf/contracts';
import { createKafka } from '@tf/messaging';
import { databaseUrl } from '@tf/persistence';
import { Admin, Partitioners, Producer, RecordMetadata } from 'kafkajs';
import { Client } from 'pg';
import { waitFor } from '../support/wait';

export const NOTIFIER_GROUP = 'tf-notifier';

export const jobSpec = (webhook_url: string | null): JobSpec => ({
  tenant_id: 'itest',
  target_resolutions: ['360p'],
  enable_hls: true,
  enable_transcription: false,
  webhook_url,
  priority: 'normal',
  language: null,
});

export const videoCompleted = (jobId: string, url: string | null): VideoCompleted => ({
  ...newEnvelope(jobId),
  spec: jobSpec(url),
  outputs: [
    {
      kind: 'rendition',
      label: '360p',
      object: { bucket: 'processed-videos', key: `${jobId}/360p.mp4`, bytes: 4096, content_type: 'video/mp4' },
    },
  ],
});

export const jobFailed = (jobId: string, url: string, stage: string, code: string): JobFailed => ({
  ...newEnvelope(jobId),
  spec: jobSpec(url),
  stage,
  code,
  message: `${stage} gave up`,
  retryable: false,
});

/** Kafka producer/admin and a DB connection for the notifier's integration tests. */
export class NotifierHarness {
  readonly db = new Client({ connectionString: databaseUrl() });
  private readonly kafka = createKafka(`itest-notifier-${process.pid}`);
  private readonly producer: Producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  private readonly admin: Admin = this.kafka.admin();

  async connect(): Promise<this> {
    await Promise.all([this.db.connect(), this.producer.connect(), this.admin.connect()]);
    return this;
  }

  async close(): Promise<void> {
    await Promise.all([this.producer.disconnect(), this.admin.disconnect(), this.db.end()]);
  }

  /** Publishes the values in one batch, keyed by the job (with `headers`, e.g. a traceparent). */
  async publish(
    topic: string,
    jobId: string,
    values: Buffer[],
    headers?: Record<string, string>,
  ): Promise<RecordMetadata> {
    const [sent] = await this.producer.send({
      topic,
      messages: values.map((value) => ({ key: jobId, value, headers })),
    });
    return sent;
  }

  /** Waits until the notifier group committed past everything `publish` returned. */
  async waitConsumed(topic: string, sent: RecordMetadata, count: number): Promise<void> {
    const needed = BigInt(sent.baseOffset!) + BigInt(count);
    await waitFor(
      `${NOTIFIER_GROUP} to consume ${topic}[${sent.partition}] up to ${needed}`,
      async () => {
        const [offsets] = await this.admin.fetchOffsets({ groupId: NOTIFIER_GROUP, topics: [topic] });
        const committed = offsets.partitions.find((p) => p.partition === sent.partition)?.offset ?? '-1';
        return BigInt(committed) >= needed;
      },
      120_000,
    );
  }

  async publishAndWaitConsumed(
    topic: string,
    jobId: string,
    values: Buffer[],
    headers?: Record<string, string>,
  ): Promise<void> {
    await this.waitConsumed(topic, await this.publish(topic, jobId, values, headers), values.length);
  }

  async deliveriesOfJob(jobId: string) {
    return (
      await this.db.query(`SELECT * FROM notifier.webhook_deliveries WHERE job_id = $1 ORDER BY created_at`, [jobId])
    ).rows;
  }

  async attemptsOf(deliveryId: string) {
    return (
      await this.db.query(`SELECT * FROM notifier.webhook_attempts WHERE delivery_id = $1 ORDER BY attempt`, [
        deliveryId,
      ])
    ).rows;
  }

  async delivery(eventId: string) {
    return (await this.db.query(`SELECT * FROM notifier.webhook_deliveries WHERE event_id = $1`, [eventId])).rows[0];
  }

  waitForStatus(eventId: string, status: string) {
    return waitFor(
      `delivery of ${eventId} ${status}`,
      async () => {
        const row = await this.delivery(eventId);
        return row?.status === status ? row : undefined;
      },
      120_000,
    );
  }
}
