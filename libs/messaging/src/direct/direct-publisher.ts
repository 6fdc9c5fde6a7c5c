import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventType, EventsByType } from '@tf/contracts';
import { directEventsPublished } from '@tf/observability';
import { Kafka, Partitioners, Producer } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { AvroCodec } from '../avro-codec';
import { defaultTopicFor, eventHeaders } from '../outbox/outbox-writer';
import { currentTraceHeaders } from '../trace-headers';

/** Longest a direct send may take before it is given up: a reading is worth little once the next one is due. */
export const DIRECT_SEND_TIMEOUT_MS = 2_000;

/**
 * Publishes an event straight to Kafka, without the outbox: at most once. Only for readings that a later
 * event of the same job supersedes and whose loss costs nothing (a stage's running JobProgress): they skip
 * the two transactions that make an outbox event survive a crash (the append's and the relay's, each a
 * COMMIT, a WAL flush under the default synchronous_commit, and a wake-up of another loop), which were most
 * of such an event's way to its consumer on a busy machine. Same topic and lane, key, Avro encoding and
 * headers as the relay's, so consumers (and their inboxes) cannot tell the difference. A send that fails or
 * takes longer than `timeoutMs` rejects; the caller logs it and goes on. One job's readings stay in order when
 * the caller awaits each before the next.
 * Provided by StageModule (the stages send progress); other services open no producer for it.
 */
export class DirectPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  /**
   * `types`: the event types it will publish; their counts start at 0 (sent and failed), so that a dashboard
   * or `increase()` sees the first failure instead of a series born at 1.
   */
  constructor(
    kafka: Kafka,
    private readonly codec: AvroCodec,
    types: readonly EventType[],
    private readonly timeoutMs = DIRECT_SEND_TIMEOUT_MS,
  ) {
    for (const type of types) for (const outcome of ['sent', 'failed']) directEventsPublished.inc({ type, outcome }, 0);
    // No retries: a reading given up is never sent later, after the next one; one request at a time keeps
    // the readings that are sent in order (and without retries there are no duplicates to make idempotent).
    this.producer = kafka.producer({
      maxInFlightRequests: 1,
      retry: { retries: 0 },
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async publish<T extends EventType>(type: T, event: EventsByType[T]): Promise<void> {
    const sent = this.send(type, event);
    const timedOut = sleep(this.timeoutMs, undefined, { ref: false }).then(() => {
      throw new Error(`not sent within ${this.timeoutMs} ms`);
    });
    try {
      await Promise.race([sent, timedOut]);
      directEventsPublished.inc({ type, outcome: 'sent' });
    } catch (error) {
      directEventsPublished.inc({ type, outcome: 'failed' });
      throw error;
    } finally {
      sent.catch(() => undefined);
    }
  }

  /** Connected ahead, so that a job's first reading does not pay for it; a failure here is retried on first use. */
  onApplicationBootstrap(): void {
    this.connect().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connected) await this.producer.disconnect().catch(() => undefined);
  }

  private async send<T extends EventType>(type: T, event: EventsByType[T]): Promise<void> {
    const topic = defaultTopicFor(type, event);
    const value = await this.codec.encode(type, event, topic);
    await this.connect();
    await this.producer.send({
      topic,
      acks: -1,
      messages: [{ key: event.job_id, value, headers: eventHeaders(type, event.event_id, currentTraceHeaders()) }],
    });
  }

  /** Connects on first use, and again after a failed connect (Kafka was away). */
  private connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }
}
