import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { deadLetterTopicFor, lanesOf, parseLaneTopic } from '@tf/contracts';
import {
  consumerDrainDuration,
  consumerHandedBack,
  consumerInFlight,
  handledMessages,
  addToLogContext,
  handlerDuration,
  waitForDependency,
  withLogContext,
} from '@tf/observability';
import { Admin, Consumer, EachMessagePayload, Kafka, Partitioners, Producer } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { AvroCodec } from '../avro-codec';
import { ConsumerConfig, DEFAULT_FETCH_MAX_WAIT_MS } from '../consumer-config';
import { NonRetryableError, errorMessage } from '../errors';
import { MessageOutcomeEvents } from '../message-outcomes';
import { Inbox } from '../inbox/inbox';
import { OutboxWriter } from '../outbox/outbox-writer';
import { RetryPolicy, backoffDelayMs } from '../retry-policy';
import {
  DEFAULT_DURABLE_RETRY_CONFIG,
  DurableRetries,
  DurableRetryConfig,
  ParkedMessage,
  RetryGate,
  readRetryHeaders,
  registerRetryWaitingGauge,
  retriesHandled,
  retryDueLag,
  retryLevelOf,
} from '../retry';
import { ensureTopics } from '../topics-admin';
import { contextFromKafkaHeaders, traceIdOfKafkaHeaders } from '../trace-headers';
import { sendToDeadLetter } from './dead-letter';
import { applyGiveUp } from './give-up';
import { observeEventHop } from './event-hop';
import { KeyedDispatcher } from './keyed-dispatcher';
import { PriorityGate } from './priority-gate';
import { KafkaAvroContext } from './kafka-avro.context';

export interface KafkaAvroTransportOptions {
  kafka: Kafka;
  groupId: string;
  codec: AvroCodec;
  dataSource: DataSource;
  outbox: OutboxWriter;
  retry: RetryPolicy;
  /** Durable retries of transient failures on delayed retry topics (src/retry); the product's defaults when unset. */
  durableRetry?: DurableRetryConfig;
  /** What the group emits when it gives up on a message or parks one (libs/stage: JobFailed, JobProgress); nothing when unset. */
  outcomes?: MessageOutcomeEvents;
  heartbeatIntervalMs?: number;
  sessionTimeoutMs?: number;
  /** Messages handled at once (different jobs in parallel, even within a partition) and the shutdown drain. */
  consumer: ConsumerConfig;
  /**
   * Whether higher priority lanes go first (PriorityGate; default true). A group whose work takes
   * milliseconds and never queues (the job tracker) turns it off: ordering its work by lane gains nothing,
   * while each lane lookup under load can hold the message, and kafkajs's next fetch behind it.
   */
  prioritize?: boolean;
}

/** One message as kafkajs delivered it, with what the dispatcher needs to schedule it. */
interface KafkaDelivery {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  payload: EachMessagePayload;
}

type DecodedEvent = { event_id?: string; job_id?: string; occurred_at?: unknown; spec?: unknown };

const tracer = trace.getTracer('tf-messaging');

/**
 * NestJS transport over kafkajs: `@EventPattern(topic)` handlers get Avro-decoded events.
 * - up to `consumer.concurrency` messages run at once, different jobs in parallel even within one
 *   partition, one job's messages in order (KeyedDispatcher): a slow job does not hold the others;
 * - offsets are committed only after the handler (and so its DB transaction) finished, and never
 *   past a message still running;
 * - the session stays alive through long handlers: heartbeats run on a timer while they work;
 * - at shutdown (Nest's close) it stops fetching, lets running messages finish within a grace
 *   period, aborts the rest (`ctx.signal`) without committing them, then leaves the group;
 * - failures retry with exponential backoff + jitter; then the message is dead-lettered for this
 *   group, the group's `givenUp` outcome is emitted (a stage's: JobFailed), and the partition moves on;
 * - a handler for topic T receives T's three priority lanes, the higher ones first (PriorityGate).
 */
export class KafkaAvroTransport extends Server implements CustomTransportStrategy {
  private consumer?: Consumer;
  private dlqProducer?: Producer;
  private admin?: Admin;
  private gate?: PriorityGate;
  private topics: string[] = [];
  private readonly inbox: Inbox;
  private readonly durable: DurableRetries;
  private readonly retryGate = new RetryGate();
  private readonly dispatcher: KeyedDispatcher<KafkaDelivery>;

  constructor(private readonly options: KafkaAvroTransportOptions) {
    super();
    this.inbox = new Inbox(options.dataSource, options.groupId);
    this.durable = new DurableRetries(
      options.groupId,
      options.durableRetry ?? DEFAULT_DURABLE_RETRY_CONFIG,
      options.codec,
      options.outcomes,
    );
    this.dispatcher = new KeyedDispatcher<KafkaDelivery>({
      maxInFlight: options.consumer.concurrency,
      handle: (delivery, signal) => this.handleMessage(delivery.payload, signal),
      commit: (topic, partition, offset) => this.consumer!.commitOffsets([{ topic, partition, offset }]),
      park: ({ topic, partition, offset, payload }) => this.parkUntilTurn(topic, partition, offset, payload.message),
      onError: (message, error) => this.logger.error(`${message}: ${errorMessage(error)}`),
      onInFlightChange: (n) => consumerInFlight.set({ group: options.groupId }, n),
    });
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
    const topics = [...[...this.messageHandlers.keys()].flatMap(lanesOf), ...this.durable.topics];
    this.topics = topics;
    await waitForDependency('Kafka', () => ensureTopics(kafka, [...topics, deadLetterTopicFor(groupId)]));
    this.admin = kafka.admin();
    await this.admin.connect();
    const admin = this.admin;
    registerRetryWaitingGauge(() => this.durable.waiting(admin));
    if (this.options.prioritize !== false)
      this.gate = new PriorityGate(this.admin, groupId, undefined, (topic, partition) =>
        this.dispatcher.startedUpTo(topic, partition),
      );
    this.dlqProducer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.dlqProducer.connect();
    const sessionTimeout = this.options.sessionTimeoutMs ?? 30_000;
    this.consumer = kafka.consumer({
      groupId,
      sessionTimeout,
      // kafkajs sends a heartbeat only when this much time passed since the last one; a third of the
      // session leaves room for two missed beats before the coordinator evicts the member.
      heartbeatInterval: Math.min(3_000, Math.floor(sessionTimeout / 3)),
      rebalanceTimeout: 60_000,
      // kafkajs waits 5 s by default; a partition resumed meanwhile (priority gate, due retry) is only
      // fetched by the next request, so this bounds that part of an event's hop (tf_event_hop_seconds).
      maxWaitTimeInMs: this.options.consumer.fetchMaxWaitMs ?? DEFAULT_FETCH_MAX_WAIT_MS,
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.dispatcher.assigned(payload.memberAssignment);
      this.logger.log(`joined group ${groupId} as ${payload.memberId}: ${JSON.stringify(payload.memberAssignment)}`);
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: true });
    this.gate?.start(this.consumer);
    await this.consumer.run({
      autoCommit: false,
      // The dispatcher returns as soon as a message started: kafkajs itself needs little concurrency,
      // but a partition waiting for a free slot should not keep the others from being fetched.
      partitionsConsumedConcurrently: this.options.consumer.concurrency,
      eachMessage: (payload) =>
        this.dispatcher.dispatch(
          {
            topic: payload.topic,
            partition: payload.partition,
            offset: payload.message.offset,
            key: payload.message.key?.toString() ?? null,
            payload,
          },
          payload.heartbeat,
        ),
    });
  }

  /**
   * Called by Nest at shutdown (SIGTERM, app.close()). Stops fetching, then lets running messages
   * finish, then aborts and hands back what is left; the group is left last, so the coordinator
   * reassigns the partitions at once, and the uncommitted messages go to another member.
   */
  async close(): Promise<void> {
    this.gate?.stop();
    this.retryGate.stop();
    if (this.consumer && this.topics.length > 0) {
      this.consumer.pause(this.topics.map((topic) => ({ topic })));
      const { groupId, consumer: config } = this.options;
      const stopTimer = consumerDrainDuration.startTimer({ group: groupId });
      const running = this.dispatcher.inFlight;
      const { finished, handedBack } = await this.dispatcher.drain(config.shutdownGraceMs, config.shutdownAbortWaitMs);
      const seconds = stopTimer();
      consumerHandedBack.inc({ group: groupId }, handedBack);
      this.logger.log(
        `drained ${groupId} in ${seconds.toFixed(1)} s: ${running} running, ${finished} finished, ${handedBack} handed back`,
      );
    }
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

  /**
   * Handles one message with its retries; resolves once it is done or given up on (the dispatcher
   * then commits it). Rejects, leaving it uncommitted, when `shutdown` fired meanwhile.
   * Every line logged meanwhile carries the message's trace id and, once it is decoded, its job id:
   * the retry, durable-retry and dead-letter lines too, written between the attempts' spans.
   */
  private handleMessage(payload: EachMessagePayload, shutdown: AbortSignal): Promise<void> {
    return withLogContext({ trace_id: traceIdOfKafkaHeaders(payload.message.headers) }, () =>
      this.handleInContext(payload, contextFromKafkaHeaders(payload.message.headers), shutdown),
    );
  }

  private async handleInContext(
    { topic, partition, message, heartbeat }: EachMessagePayload,
    parent: ReturnType<typeof contextFromKafkaHeaders>,
    shutdown: AbortSignal,
  ): Promise<void> {
    const { groupId, retry } = this.options;
    // A message from a retry topic goes to the handler of the topic it first came from (src/retry).
    const parked = this.parkedMessage(topic, message);
    if (parked) this.countDueRetry(parked);
    const sourceTopic = parked?.originalTopic ?? topic;
    const handler = this.getHandlerByPattern(parseLaneTopic(sourceTopic).base);
    // Ticks often; kafkajs itself spaces the heartbeat requests by heartbeatInterval.
    const timer = setInterval(() => heartbeat().catch(() => undefined), this.options.heartbeatIntervalMs ?? 1_000);
    const stopTimer = handlerDuration.startTimer({ topic, group: groupId });
    let event: DecodedEvent | undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          if (!handler) throw new NonRetryableError('NO_HANDLER', `no handler for topic ${topic}`);
          if (!message.value) throw new NonRetryableError('EMPTY_MESSAGE', 'message has no value');
          if (!event) {
            event = await this.options.codec.decode<DecodedEvent>(message.value);
            addToLogContext({ job_id: event.job_id ? String(event.job_id) : undefined });
            // The hop ends here, as the handler starts (a parked retry waited on purpose: not a hop).
            if (!parked) observeEventHop(groupId, event.occurred_at, message.timestamp);
          }
          const ctx = new KafkaAvroContext([
            {
              topic: sourceTopic,
              partition,
              offset: message.offset,
              key: message.key?.toString() ?? null,
              headers: message.headers ?? {},
              attempt,
              consumerGroup: groupId,
              eventId: String(event.event_id),
            },
            { inbox: this.inbox, outbox: this.options.outbox, heartbeat, signal: shutdown },
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
          // Aborted for shutdown (or failed while stopping): not a failure of the message; another member redoes it.
          if (shutdown.aborted) throw error;
          if (error instanceof NonRetryableError || attempt >= retry.maxAttempts) {
            const retryLater = await this.durable.park(this.dlqProducer!, {
              originalTopic: sourceTopic,
              currentLevel: parked?.level ?? 0,
              message,
              event,
              error,
            });
            if (!retryLater) await this.giveUp(sourceTopic, partition, message, event, attempt, error);
            break;
          }
          handledMessages.inc({ topic, group: groupId, outcome: 'retry' });
          this.logger.warn(
            `${topic}[${partition}]@${message.offset} attempt ${attempt} failed: ${errorMessage(error)}`,
          );
          await sleep(backoffDelayMs(attempt, retry), undefined, { signal: shutdown });
        }
      }
    } finally {
      clearInterval(timer);
      stopTimer();
    }
  }

  /**
   * Right before a message starts: a retried one waits on its retry topic until due (only that
   * partition pauses); others yield to higher priority lanes (unless the group does not prioritize). A due retry
   * skips the priority gate, being older work.
   */
  private async parkUntilTurn(
    topic: string,
    partition: number,
    offset: string,
    message: EachMessagePayload['message'],
  ): Promise<boolean> {
    const parked = this.parkedMessage(topic, message);
    if (parked) return this.retryGate.holdUntilDue(this.consumer!, topic, partition, offset, parked.dueAt);
    return this.gate?.parkIfOutranked(this.consumer!, topic, partition, offset) ?? false;
  }

  /** The retry headers of a message consumed from one of this group's retry topics; a broken one is handled now (and given up on). */
  private parkedMessage(topic: string, message: EachMessagePayload['message']): ParkedMessage | null {
    if (retryLevelOf(topic) === null) return null;
    return readRetryHeaders(message.headers) ?? { originalTopic: topic, level: this.durable.config.retries, dueAt: 0 };
  }

  private countDueRetry(parked: ParkedMessage): void {
    const { groupId } = this.options;
    retriesHandled.inc({ group: groupId, level: String(parked.level) });
    retryDueLag.inc({ group: groupId }, Math.max(0, Date.now() - parked.dueAt) / 1000);
  }

  private inSpan<T>(
    topic: string,
    parent: ReturnType<typeof contextFromKafkaHeaders>,
    event: DecodedEvent,
    fn: () => Promise<T>,
  ): Promise<T> {
    const jobId = event.job_id ? String(event.job_id) : undefined;
    return tracer.startActiveSpan(
      `${topic} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': topic,
          'messaging.consumer.group.name': this.options.groupId,
          ...(jobId ? { 'tf.job_id': jobId } : {}),
        },
      },
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

  /** Parks the message on the dead-letter topic and emits the group's `givenUp` outcome (a stage's: the job fails with a reason). */
  private async giveUp(
    topic: string,
    partition: number,
    message: EachMessagePayload['message'],
    event: DecodedEvent | undefined,
    attempts: number,
    error: unknown,
  ): Promise<void> {
    const { groupId, outcomes } = this.options;
    this.logger.error(
      `${topic}[${partition}]@${message.offset} dead-lettered after ${attempts} attempt(s): ${errorMessage(error)}`,
    );
    await sendToDeadLetter(this.dlqProducer!, message, { topic, partition, consumerGroup: groupId, attempts, error });
    handledMessages.inc({ topic, group: groupId, outcome: 'dead_lettered' });
    const given = { topic, key: message.key?.toString() ?? null, event, attempts, error };
    // Claiming the event id makes a redelivery after a crash skip instead of emitting it twice.
    const eventId = event?.event_id ? String(event.event_id) : null;
    await applyGiveUp(
      (apply) =>
        eventId ? this.inbox.processOnce(eventId, apply) : this.options.dataSource.transaction(apply).then(() => true),
      this.options.outbox,
      outcomes,
      given,
    );
  }
}
