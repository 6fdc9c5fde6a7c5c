import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JobCancelled, Topics } from '@tf/contracts';
import { Consumer, Kafka } from 'kafkajs';
import { hostname } from 'node:os';
import {
  AvroCodec,
  KAFKA,
  MESSAGING_OPTIONS,
  MessagingOptions,
  ensureTopics,
  errorMessage,
  traceIdOfKafkaHeaders,
} from '@tf/messaging';
import { addToLogContext, withLogContext } from '@tf/observability';
import { JobCancellations } from './job-cancellations';

/** How long start-up waits for the listener's group to form before going on without it. */
const JOIN_TIMEOUT_MS = 30_000;

/** The per-instance consumer group: unique to this process, so the instance gets every JobCancelled. */
export const cancelGroupId = (service: string, host = hostname(), pid = process.pid): string =>
  `tf-${service}-cancel-${host}-${pid}`;

/**
 * Broadcast of JobCancelled to EVERY instance of a stage: the job may be running on any of them, and
 * the stage's own consumer group would hand each message to one instance only. So each instance
 * consumes tf.job.cancelled in a group of its own (`tf-<service>-cancel-<host>-<pid>`), from the end
 * of the topic (older cancels are in job_cancellations already), and hands every cancel to
 * JobCancellations, which aborts the job's run here if there is one. The group is deleted at shutdown.
 */
@Injectable()
export class CancelBroadcastListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CancelBroadcastListener.name);
  private consumer?: Consumer;
  readonly groupId: string;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly codec: AvroCodec,
    private readonly cancellations: JobCancellations,
    @Inject(MESSAGING_OPTIONS) options: MessagingOptions,
  ) {
    this.groupId = cancelGroupId(options.service);
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureTopics(this.kafka, [Topics.JobCancelled]);
    const consumer = this.kafka.consumer({ groupId: this.groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000 });
    this.consumer = consumer;
    let timer: NodeJS.Timeout | undefined;
    const joined = new Promise<boolean>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolve(true));
      timer = setTimeout(() => resolve(false), JOIN_TIMEOUT_MS);
    });
    await consumer.connect();
    await consumer.subscribe({ topic: Topics.JobCancelled, fromBeginning: false });
    // The lines about a cancel carry the job's trace id (and job_id once decoded), like the transport's.
    await consumer.run({
      eachMessage: ({ message }) =>
        withLogContext({ trace_id: traceIdOfKafkaHeaders(message.headers) }, () => this.onMessage(message.value)),
    });
    const ok = await joined;
    clearTimeout(timer);
    if (ok) this.logger.log(`cancel listener joined group ${this.groupId}`);
    else
      this.logger.warn(
        `cancel listener: group ${this.groupId} not joined after ${JOIN_TIMEOUT_MS} ms; going on (kafkajs keeps trying)`,
      );
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.consumer) return;
    await this.consumer.disconnect().catch(() => undefined);
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([this.groupId]);
    } catch (error) {
      this.logger.warn(`cancel listener: group ${this.groupId} not deleted: ${errorMessage(error)}`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async onMessage(value: Buffer | null): Promise<void> {
    if (!value) return;
    let jobId: string;
    try {
      jobId = String((await this.codec.decode<JobCancelled>(value)).job_id);
      addToLogContext({ job_id: jobId });
    } catch (error) {
      this.logger.warn(`cancel listener: undecodable message skipped: ${errorMessage(error)}`);
      return;
    }
    try {
      await this.cancellations.cancelled(jobId);
    } catch (error) {
      // The abort already happened in memory; the stage's own consumer group records the cancel durably.
      this.logger.warn(`cancel listener: job ${jobId} not recorded as cancelled: ${errorMessage(error)}`);
    }
  }
}
