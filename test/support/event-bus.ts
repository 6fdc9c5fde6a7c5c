// Kafka helpers for the stage integration tests: publish Avro events as an upstream stage would
// (optionally on an explicit partition, to order events of different jobs), and collect a topic's
// events for the test's jobs with a fresh consumer group.
import { randomUUID } from 'node:crypto';
import { EventType, EventsByType, Topics } from '@tf/contracts';
import { AvroCodec, createKafka, ensureTopics } from '@tf/messaging';
import { Admin, Consumer, Kafka, Partitioners, Producer } from 'kafkajs';
import { waitFor } from './wait';

export interface Published {
  topic: string;
  partition: number;
  offset: string;
}

/** A message collected by key prefix, decoded without a compile-time type, with where it was published. */
export interface KeyedMessage {
  key: string;
  value: Record<string, unknown>;
  at: Published;
}

export class EventBus {
  private readonly kafka: Kafka = createKafka(`itest-bus-${process.pid}`);
  readonly codec = new AvroCodec();
  private producer?: Producer;
  private admin?: Admin;
  private readonly consumers: Consumer[] = [];
  private topicsReady?: Promise<void>;

  /**
   * Subscribes once the pipeline's topics exist: on a fresh cluster a test may collect before any
   * service has started (and created them), and kafkajs does not retry an unknown topic-partition.
   */
  private async subscribe(consumer: Consumer, topic: string): Promise<void> {
    this.topicsReady ??= ensureTopics(this.kafka);
    await this.topicsReady;
    await consumer.subscribe({ topic, fromBeginning: true });
  }

  /** Produces `event` to its pipeline topic keyed by job_id (Confluent-framed Avro); `partition` overrides the key's partition. */
  async publish<T extends EventType>(type: T, event: EventsByType[T], partition?: number): Promise<Published> {
    if (!this.producer) {
      this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await this.producer.connect();
    }
    const value = await this.codec.encode(type, event);
    const [meta] = await this.producer.send({
      topic: Topics[type],
      messages: [{ key: event.job_id, value, partition }],
    });
    return { topic: Topics[type], partition: meta.partition, offset: meta.baseOffset ?? '0' };
  }

  /** Collects (decoded) every event of `type` whose key is one of `jobIds`, from the start of the topic, with a fresh group. */
  async collect<T extends EventType>(type: T, jobIds: ReadonlySet<string>): Promise<Collected<EventsByType[T]>> {
    const collected = new Collected<EventsByType[T]>();
    const consumer = this.kafka.consumer({ groupId: `itest-collect-${type}-${randomUUID().slice(0, 8)}` });
    this.consumers.push(consumer);
    await consumer.connect();
    await this.subscribe(consumer, Topics[type]);
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (!message.value || !jobIds.has(message.key?.toString() ?? '')) return;
        collected.add(await this.codec.decode<EventsByType[T]>(message.value));
      },
    });
    return collected;
  }

  /**
   * Collects every message of `topic` whose key starts with `keyPrefix` (e.g. a job's chunks, keyed
   * `<job_id>:<index>`), decoded without a compile-time type, from the start of the topic, with a fresh group.
   */
  async collectKeyed(topic: string, keyPrefix: string): Promise<KeyedMessage[]> {
    const collected: KeyedMessage[] = [];
    const consumer = this.kafka.consumer({ groupId: `itest-collect-keyed-${randomUUID().slice(0, 8)}` });
    this.consumers.push(consumer);
    await consumer.connect();
    await this.subscribe(consumer, topic);
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const key = message.key?.toString() ?? '';
        if (!message.value || !key.startsWith(keyPrefix)) return;
        const value = await this.codec.decode<Record<string, unknown>>(message.value);
        collected.push({ key, value, at: { topic, partition, offset: message.offset } });
      },
    });
    return collected;
  }

  /** Waits until `group` committed past `published` (the message was handled, whatever the outcome). */
  async waitUntilConsumed(group: string, published: Published): Promise<void> {
    if (!this.admin) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    const admin = this.admin;
    await waitFor(
      `${group} to commit past ${published.topic}[${published.partition}]@${published.offset}`,
      async () => {
        const [topic] = await admin.fetchOffsets({ groupId: group, topics: [published.topic] });
        const committed = topic?.partitions.find((p) => p.partition === published.partition)?.offset ?? '-1';
        return BigInt(committed) > BigInt(published.offset);
      },
      300_000,
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.disconnect()));
    await this.producer?.disconnect();
    await this.admin?.disconnect();
  }
}

export class Collected<E> {
  readonly events: E[] = [];

  add(event: E): void {
    this.events.push(event);
  }

  of(jobId: string): E[] {
    return this.events.filter((e) => (e as unknown as { job_id: string }).job_id === jobId);
  }

  /** Waits until `jobId` has at least `count` events matching `where`. */
  waitFor(jobId: string, count = 1, where: (e: E) => boolean = () => true, timeoutMs = 300_000): Promise<E[]> {
    return waitFor(
      `${count} event(s) for ${jobId}`,
      async () => {
        const matching = this.of(jobId).filter(where);
        return matching.length >= count ? matching : undefined;
      },
      timeoutMs,
    );
  }
}
