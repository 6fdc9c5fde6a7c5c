import { Logger } from '@nestjs/common';
import { Topics, isPriority, laneTopic, newEnvelope } from '@tf/contracts';
import { toJobError } from '@tf/errors';
import type { Admin, KafkaMessage, Producer } from 'kafkajs';
import type { AvroCodec } from '../avro-codec';
import { NonRetryableError } from '../errors';
import { jobProgressEvent } from '../job-status-events';
import { DurableRetryConfig } from './durable-retry-config';
import { retriesScheduled } from './retry-metrics';
import { ScheduledRetry, nextRetry, retryHeaders, retryTopicsFor } from './retry-schedule';

export interface ParkRequest {
  /** The lane topic the message first came from (its handler's topic). */
  originalTopic: string;
  /** 0 on the original topic, n on retry topic n. */
  currentLevel: number;
  message: KafkaMessage;
  error: unknown;
  /** The decoded event, when decoding got that far (job id, spec for the lane of the status event). */
  event?: { job_id?: unknown; spec?: unknown };
}

/**
 * Parks transiently failed messages on the group's delayed retry topics and tells the job's status
 * that its stage waits. The parked copy keeps the message's bytes, key and event id, so the inbox
 * still applies it exactly once (a crash between parking and committing yields a duplicate it drops).
 */
export class DurableRetries {
  private readonly logger = new Logger(DurableRetries.name);

  constructor(
    private readonly groupId: string,
    readonly config: DurableRetryConfig,
    private readonly codec: AvroCodec,
    /** Stage named in the status event; none (no status event) for groups that are not a job stage. */
    private readonly stage?: string,
    private readonly now: () => number = Date.now,
  ) {}

  get topics(): string[] {
    return retryTopicsFor(this.groupId, this.config);
  }

  /**
   * Parks the message for its next durable retry; null when the failure is not an outage (the product's
   * classification, @tf/errors `transient`) or the retries are used up: the caller then gives up on it.
   */
  async park(producer: Producer, request: ParkRequest): Promise<ScheduledRetry | null> {
    if (request.error instanceof NonRetryableError) return null;
    const failure = toJobError(request.error, this.stage);
    if (!failure.transient) return null;
    const retry = nextRetry(this.groupId, request.currentLevel, this.config, this.now());
    if (!retry) return null;
    const { message, originalTopic } = request;
    const reason = failure.code;
    await producer.send({
      topic: retry.topic,
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers: retryHeaders(message.headers, originalTopic, retry, reason) }],
    });
    retriesScheduled.inc({ group: this.groupId, level: String(retry.level) });
    this.logger.warn(`${originalTopic}@${message.offset}: transient failure (${reason}); retry ${retry.level}/${this.config.retries} at ${new Date(retry.dueAt).toISOString()}`);
    await this.announceWait(producer, request, retry, reason);
    return retry;
  }

  /**
   * A JobProgress with next_attempt_at, sent straight to Kafka rather than through the outbox: the
   * database may be the very thing that is down, and this event is informational (a lost one only
   * leaves the status without the waiting note; the retry itself does not depend on it).
   */
  private async announceWait(producer: Producer, { event, message }: ParkRequest, retry: ScheduledRetry, reason: string): Promise<void> {
    const jobId = event?.job_id ?? message.key?.toString();
    if (!this.stage || !jobId) return;
    const progress = jobProgressEvent(newEnvelope(String(jobId), retry.level + 1), { stage: this.stage, percent: 0, message: reason, next_attempt_at: retry.dueAt });
    const priority = (event?.spec as { priority?: unknown } | null | undefined)?.priority;
    const topic = laneTopic(Topics.JobProgress, isPriority(priority) ? priority : 'normal');
    try {
      await producer.send({ topic, messages: [{ key: String(jobId), value: await this.codec.encode('JobProgress', progress, topic) }] });
    } catch (e) {
      this.logger.warn(`job ${String(jobId)}: the retry status event was not sent (${e instanceof Error ? e.name : 'error'}); the retry stands`);
    }
  }

  /** Messages not yet committed by the group in each of its retry topics (for the waiting gauge). */
  async waiting(admin: Admin): Promise<Array<{ group: string; level: number; waiting: number }>> {
    const committed = await admin.fetchOffsets({ groupId: this.groupId, topics: this.topics });
    const out: Array<{ group: string; level: number; waiting: number }> = [];
    for (const [index, topic] of this.topics.entries()) {
      const ends = await admin.fetchTopicOffsets(topic);
      const done = new Map((committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
      const waiting = ends.reduce((sum, p) => sum + Math.max(0, Number(p.high) - Math.max(done.get(p.partition) ?? -1, Number(p.low))), 0);
      out.push({ group: this.groupId, level: index + 1, waiting });
    }
    return out;
  }
}
