import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { JobFailed, deadLetterTopicFor, lanesOf, newEnvelope, parseLaneTopic } from '@tf/contracts';
import { handledMessages, handlerDuration, withLogContext } from '@tf/observability';
import { Admin, Consumer, EachMessagePayload, Kafka, Partitioners, Producer } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { AvroCodec } from '../avro-codec';
import { toJobError } from '@tf/errors';
import { NonRetryableError, errorMessage } from '../errors';
import { jobFailedEvent } from '../job-status-events';
import { Inbox } from '../inbox/inbox';
import { OutboxWriter } from '../outbox/outbox-writer';
import { RetryPolicy, backoffDelayMs } from '../retry-policy';
import { ensureTopics } from '../topics-admin';
import { contextFromKafkaHeaders } from '../trace-headers';
import { sendToDeadLetter } from './dead-letter';
import { PriorityGate } from './priority-gate';
import { KafkaAvroContext } from './kafka-avro.context';

export interface KafkaAvroTransportOptions {
  kafka: Kafka;
  groupId: string;
  codec: AvroCodec;
  dataSource: DataSource;
  outbox: OutboxWriter;
  retry: RetryPolicy;
  /** The stage named in the JobFailed emitted when a message is given up on; none when unset. */
  failedStage?: string;
  heartbeatIntervalMs?: number;
  sessionTimeoutMs?: number;
  /** Partitions handled in parallel by this instance (1 for CPU-heavy stages). */
  partitionsConsumedConcurrently?: number;
}

type DecodedEvent = { event_id?: string; job_id?: string; spec?: unknown };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tracer = trace.getTracer('tf-messaging');

/**
 * NestJS transport over kafkajs: `@EventPattern(topic)` handlers get Avro-decoded events.
 * - offsets are committed only after the handler (and so its DB transaction) finished;
 * - the session stays alive through long handlers: heartbeats run on a timer while they work;
 * - failures retry with exponential backoff + jitter; then the message is dead-lettered for this
 *   group and (with `failedStage`) the job fails with a reason, and the partition moves on;
 * - a handler for topic T receives T's three priority lanes, the higher ones first (PriorityGate).
 */
export class KafkaAvroTransport extends Server implements CustomTransportStrategy {
  private consumer?: Consumer;
  private dlqProducer?: Producer;
  private admin?: Admin;
  private gate?: PriorityGate;
  private readonly inbox: Inbox;

  constructor(private readonly options: KafkaAvroTransportOptions) {
    super();
    this.inbox = new Inbox(options.dataSource, options.groupId);
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private async start(): Promise<void> {
    const { kafka, groupId } = this.options;
    const topics = [...this.messageHandlers.keys()].flatMap(lanesOf);
    await ensureTopics(kafka, [...topics, deadLetterTopicFor(groupId)]);
    this.admin = kafka.admin();
    await this.admin.connect();
    this.gate = new PriorityGate(this.admin, groupId);
    this.dlqProducer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await this.dlqProducer.connect();
    const sessionTimeout = this.options.sessionTimeoutMs ?? 30_000;
    this.consumer = kafka.consumer({
      groupId,
      sessionTimeout,
      // kafkajs sends a heartbeat only when this much time passed since the last one; a third of the
      // session leaves room for two missed beats before the coordinator evicts the member.
      heartbeatInterval: Math.min(3_000, Math.floor(sessionTimeout / 3)),
      rebalanceTimeout: 60_000,
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) =>
      this.logger.log(`joined group ${groupId} as ${payload.memberId}: ${JSON.stringify(payload.memberAssignment)}`),
    );
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: true });
    this.gate.start(this.consumer);
    await this.consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachMessage: (payload) => this.handleMessage(payload),
    });
  }

  async close(): Promise<void> {
    this.gate?.stop();
    await this.consumer?.disconnect();
    await this.dlqProducer?.disconnect();
    await this.admin?.disconnect();
  }

  on(): never {
    throw new Error('KafkaAvroTransport does not support event listeners');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async handleMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const { groupId, retry } = this.options;
    if (await this.gate!.parkIfOutranked(this.consumer!, topic, partition, message.offset)) return;
    const handler = this.getHandlerByPattern(parseLaneTopic(topic).base);
    // Ticks often; kafkajs itself spaces the heartbeat requests by heartbeatInterval.
    const timer = setInterval(() => heartbeat().catch(() => undefined), this.options.heartbeatIntervalMs ?? 1_000);
    const stopTimer = handlerDuration.startTimer({ topic, group: groupId });
    const parent = contextFromKafkaHeaders(message.headers);
    let event: DecodedEvent | undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          if (!handler) throw new NonRetryableError('NO_HANDLER', `no handler for topic ${topic}`);
          if (!message.value) throw new NonRetryableError('EMPTY_MESSAGE', 'message has no value');
          event ??= await this.options.codec.decode<DecodedEvent>(message.value);
          const ctx = new KafkaAvroContext([
            {
              topic,
              partition,
              offset: message.offset,
              key: message.key?.toString() ?? null,
              headers: message.headers ?? {},
              attempt,
              consumerGroup: groupId,
              eventId: String(event.event_id),
            },
            { inbox: this.inbox, outbox: this.options.outbox, heartbeat },
          ]);
          const decoded = event;
          await this.inSpan(topic, parent, decoded, async () => {
            await lastValueFrom(this.transformToObservable(handler(decoded, ctx)), { defaultValue: undefined });
            // Inside the span and log context: the line carries the job_id and trace_id.
            this.logger.log(`handled ${topic}[${partition}]@${message.offset} (attempt ${attempt})`);
          });
          handledMessages.inc({ topic, group: groupId, outcome: 'ok' });
          break;
        } catch (error) {
          if (error instanceof NonRetryableError || attempt >= retry.maxAttempts) {
            await this.giveUp(topic, partition, message, event, attempt, error);
            break;
          }
          handledMessages.inc({ topic, group: groupId, outcome: 'retry' });
          this.logger.warn(`${topic}[${partition}]@${message.offset} attempt ${attempt} failed: ${errorMessage(error)}`);
          await sleep(backoffDelayMs(attempt, retry));
        }
      }
      await this.consumer!.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
    } finally {
      clearInterval(timer);
      stopTimer();
    }
  }

  private inSpan<T>(topic: string, parent: ReturnType<typeof contextFromKafkaHeaders>, event: DecodedEvent, fn: () => Promise<T>): Promise<T> {
    const jobId = event.job_id ? String(event.job_id) : undefined;
    return tracer.startActiveSpan(
      `${topic} process`,
      { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.consumer.group.name': this.options.groupId, ...(jobId ? { 'tf.job_id': jobId } : {}) } },
      parent,
      (span) =>
        withLogContext({ job_id: jobId }, () =>
          fn()
            .catch((e) => {
              span.recordException(e as Error);
              span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(e) });
              throw e;
            })
            .finally(() => span.end()),
        ),
    );
  }

  /** Parks the message on the dead-letter topic and, for job events, fails the job with a reason. */
  private async giveUp(topic: string, partition: number, message: EachMessagePayload['message'], event: DecodedEvent | undefined, attempts: number, error: unknown): Promise<void> {
    const { groupId, failedStage } = this.options;
    this.logger.error(`${topic}[${partition}]@${message.offset} dead-lettered after ${attempts} attempt(s): ${errorMessage(error)}`);
    await sendToDeadLetter(this.dlqProducer!, message, { topic, partition, consumerGroup: groupId, attempts, error });
    handledMessages.inc({ topic, group: groupId, outcome: 'dead_lettered' });
    const jobId = event?.job_id ?? message.key?.toString();
    if (!failedStage || !jobId) return;
    const failure = jobFailedEvent(newEnvelope(String(jobId), attempts), {
      spec: (event?.spec as JobFailed['spec']) ?? null,
      stage: failedStage,
      error: toJobError(error, failedStage),
    });
    const apply = async (tx: Parameters<Parameters<Inbox['processOnce']>[1]>[0]) => this.options.outbox.append(tx, 'JobFailed', failure);
    // Claiming the event id makes a redelivery after a crash skip instead of failing the job twice.
    if (event?.event_id) await this.inbox.processOnce(String(event.event_id), apply);
    else await this.options.dataSource.transaction(apply);
  }
}
