import { Logger } from '@nestjs/common';
import { toJobError } from '@tf/errors';
import type { Admin, KafkaMessage, Producer } from 'kafkajs';
import type { AvroCodec } from '../avro-codec';
import { NonRetryableError } from '../errors';
import { MessageOutcomeEvents } from '../message-outcomes';
import { defaultTopicFor } from '../outbox/outbox-writer';
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
 * Parks transiently failed messages on the group's delayed retry topics and, through the group's
 * `retryScheduled` outcome (libs/stage: the job's status), tells that the message waits. The parked copy keeps the message's bytes, key and event id, so the inbox
 * still applies it exactly once (a crash between parking and committing yields a duplicate it drops).
 */
export class DurableRetries {
  private readonly logger = new Logger(DurableRetries.name);

  constructor(
    private readonly groupId: string,
    readonly config: DurableRetryConfig,
    private readonly codec: AvroCodec,
    /** What to announce about a parked message; nothing for groups without it (the gateway's tracker). */
    private readonly outcomes: MessageOutcomeEvents = {},
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
    // Whether it is an outage does not depend on the stage (only the code of a stage's own failure does).
    const failure = toJobError(request.error);
    if (!failure.transient) return null;
    const retry = nextRetry(this.groupId, request.currentLevel, this.config, this.now());
    if (!retry) return null;
    const { message, originalTopic } = request;
    const reason = failure.code;
    await producer.send({
      topic: retry.topic,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: retryHeaders(message.headers, originalTopic, retry, reason),
        },
      ],
    });
    retriesScheduled.inc({ group: this.groupId, level: String(retry.level) });
    this.logger.warn(
      `${originalTopic}@${message.offset}: transient failure (${reason}); retry ${retry.level}/${this.config.retries} at ${new Date(retry.dueAt).toISOString()}`,
    );
    await this.announceWait(producer, request, retry, reason);
    return retry;
  }

  /** The group's `retryScheduled` event, sent straight to Kafka (see MessageOutcomeEvents: informational, the database may be down). */
  private async announceWait(
    producer: Producer,
    { event, message }: ParkRequest,
    retry: ScheduledRetry,
    reason: string,
  ): Promise<void> {
    const key = message.key?.toString() ?? null;
    const notice = this.outcomes.retryScheduled?.({ key, event, level: retry.level, dueAt: retry.dueAt, reason });
    if (!notice) return;
    const topic = notice.topic ?? defaultTopicFor(notice.type, notice.event);
    try {
      await producer.send({
        topic,
        messages: [
          { key: notice.event.job_id, value: await this.codec.encode(notice.type, notice.event as never, topic) },
        ],
      });
    } catch (e) {
      this.logger.warn(
        `job ${notice.event.job_id}: the retry status event was not sent (${e instanceof Error ? e.name : 'error'}); the retry stands`,
      );
    }
  }

  /** Messages not yet committed by the group in each of its retry topics (for the waiting gauge). */
  async waiting(admin: Admin): Promise<Array<{ group: string; level: number; waiting: number }>> {
    const committed = await admin.fetchOffsets({ groupId: this.groupId, topics: this.topics });
    const out: Array<{ group: string; level: number; waiting: number }> = [];
    for (const [index, topic] of this.topics.entries()) {
      const ends = await admin.fetchTopicOffsets(topic);
      const done = new Map(
        (committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]),
      );
      const waiting = ends.reduce(
        (sum, p) => sum + Math.max(0, Number(p.high) - Math.max(done.get(p.partition) ?? -1, Number(p.low))),
        0,
      );
      out.push({ group: this.groupId, level: index + 1, waiting });
    }
    return out;
  }
}
