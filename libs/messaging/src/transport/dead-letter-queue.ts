import { randomUUID } from 'node:crypto';
import type { Admin, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { DEAD_LETTER_TOPIC_PREFIX, deadLetterTopicFor } from '@tf/contracts';
import { retryHeaders, retryTopicFor } from '../retry/retry-schedule';
import { DeadLetterHeaders } from './dead-letter';

/** A group's dead-letter topic and how many messages Kafka still retains on it. */
export interface DeadLetterQueue {
  group: string;
  topic: string;
  depth: number;
}

/** Why and where a message was parked, read back from the headers `sendToDeadLetter` wrote. */
export interface DeadLetterRecord {
  consumerGroup: string;
  originalTopic: string | null;
  originalPartition: number | null;
  originalOffset: string | null;
  attempts: number | null;
  errorCode: string | null;
  error: string | null;
  failedAt: string | null;
}

/** One parked message as it sits on its dead-letter topic: bytes untouched, plus the parking headers read. */
export interface DeadLetter {
  topic: string;
  partition: number;
  offset: string;
  /** When it was parked (the broker's timestamp, ms). */
  timestamp: number;
  key: string | null;
  value: Buffer | null;
  headers: IHeaders;
  record: DeadLetterRecord;
}

/** Longest a read of a dead-letter topic may take before it gives up (the broker is then not answering). */
const READ_DEADLINE_MS = 30_000;

const headerText = (headers: IHeaders | undefined, name: string): string | null => {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? null : first.toString();
};

const integerOrNull = (text: string | null): number | null =>
  text !== null && /^\d+$/.test(text) ? Number(text) : null;

/** The parking headers of a dead letter of `group` (absent ones are null: a message parked by an older release). */
export function readDeadLetterRecord(group: string, headers: IHeaders | undefined): DeadLetterRecord {
  return {
    consumerGroup: headerText(headers, DeadLetterHeaders.consumerGroup) ?? group,
    originalTopic: headerText(headers, DeadLetterHeaders.originalTopic),
    originalPartition: integerOrNull(headerText(headers, DeadLetterHeaders.originalPartition)),
    originalOffset: headerText(headers, DeadLetterHeaders.originalOffset),
    attempts: integerOrNull(headerText(headers, DeadLetterHeaders.attempts)),
    errorCode: headerText(headers, DeadLetterHeaders.errorCode),
    error: headerText(headers, DeadLetterHeaders.error),
    failedAt: headerText(headers, DeadLetterHeaders.failedAt),
  };
}

/** Every group's dead-letter topic (`tf.dlq.<group>`, created when the group first starts), with its depth. */
export async function listDeadLetterQueues(admin: Admin): Promise<DeadLetterQueue[]> {
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(DEAD_LETTER_TOPIC_PREFIX)).sort();
  return Promise.all(
    topics.map(async (topic) => ({
      group: topic.slice(DEAD_LETTER_TOPIC_PREFIX.length),
      topic,
      depth: depthOf(await admin.fetchTopicOffsets(topic)),
    })),
  );
}

const depthOf = (offsets: ReadonlyArray<{ high: string; low: string }>): number =>
  offsets.reduce((sum, p) => sum + Math.max(0, Number(p.high) - Number(p.low)), 0);

export interface ReadDeadLettersOptions {
  /** At most this many: the newest (by the time they were parked). */
  limit: number;
  /** Only the dead letters of this message key (the job id): the whole topic is read to find them. */
  key?: string;
}

/**
 * Reads the dead letters Kafka retains for `group`, oldest first, without disturbing anything: a
 * throwaway consumer group that commits nothing and is deleted afterwards. Without a key, each
 * partition is read from its last `limit` messages only.
 */
export async function readDeadLetters(
  kafka: Kafka,
  admin: Admin,
  group: string,
  options: ReadDeadLettersOptions,
): Promise<DeadLetter[]> {
  const topic = deadLetterTopicFor(group);
  const partitions = (await admin.fetchTopicOffsets(topic))
    .map((p) => ({ partition: p.partition, low: Number(p.low), high: Number(p.high) }))
    .filter((p) => p.high > p.low);
  if (partitions.length === 0) return [];
  const startOf = (p: { low: number; high: number }) =>
    options.key === undefined ? Math.max(p.low, p.high - options.limit) : p.low;

  const readerGroup = `tf-dlq-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId: readerGroup });
  const found: DeadLetter[] = [];
  const pending = new Set(partitions.map((p) => p.partition));
  const lastOffset = new Map(partitions.map((p) => [p.partition, p.high - 1]));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(new Error(`reading ${topic} took longer than ${READ_DEADLINE_MS} ms`)),
        READ_DEADLINE_MS,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (!pending.has(partition)) return;
            if (options.key === undefined || message.key?.toString() === options.key)
              found.push(deadLetterOf(group, topic, partition, message));
            if (Number(message.offset) >= lastOffset.get(partition)!) pending.delete(partition);
            if (pending.size === 0) {
              clearTimeout(deadline);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    for (const p of partitions) consumer.seek({ topic, partition: p.partition, offset: String(startOf(p)) });
    await done;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([readerGroup]).catch(() => undefined);
  }
  found.sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition || Number(a.offset) - Number(b.offset));
  return found.slice(-options.limit);
}

function deadLetterOf(group: string, topic: string, partition: number, message: KafkaMessage): DeadLetter {
  const headers = message.headers ?? {};
  return {
    topic,
    partition,
    offset: message.offset,
    timestamp: Number(message.timestamp),
    key: message.key?.toString() ?? null,
    value: message.value,
    headers,
    record: readDeadLetterRecord(group, headers),
  };
}

/**
 * The message to produce to hand a dead letter back to its own group, and to it alone: its first
 * durable retry topic (only that group reads it), due at once, routed by the transport to the
 * handler of the topic it first came from. The bytes, key and event id are the original ones, so
 * the group's inbox applies it at most once however often it is replayed; the parking headers go.
 */
export function redeliveryOf(deadLetter: DeadLetter, now: number): { topic: string; message: Message } | null {
  const { originalTopic, consumerGroup } = deadLetter.record;
  if (!originalTopic) return null;
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(deadLetter.headers))
    if (!name.startsWith('tf-dlq-') && value !== undefined) headers[name] = value;
  const retry = { level: 1, topic: retryTopicFor(consumerGroup, 1), dueAt: now };
  return {
    topic: retry.topic,
    message: {
      key: deadLetter.key,
      value: deadLetter.value,
      headers: retryHeaders(headers, originalTopic, retry, 'REPLAYED'),
    },
  };
}

type Message = { key: string | null; value: Buffer | null; headers: IHeaders };

/** Produces the redelivery of `deadLetter` (see `redeliveryOf`); false when its headers do not say where it came from. */
export async function redeliverDeadLetter(producer: Producer, deadLetter: DeadLetter): Promise<boolean> {
  const redelivery = redeliveryOf(deadLetter, Date.now());
  if (!redelivery) return false;
  await producer.send({ topic: redelivery.topic, acks: -1, messages: [redelivery.message] });
  return true;
}
