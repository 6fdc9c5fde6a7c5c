import { deadLetterTopicFor, parseLaneTopic } from '@tf/contracts';
import type { IHeaders, KafkaMessage, Producer } from 'kafkajs';
import { redact, toJobError } from '@tf/errors';
import { errorMessage } from '../errors';
import { deadLettered } from './dead-letter-metrics';

export interface DeadLetterInfo {
  topic: string;
  partition: number;
  consumerGroup: string;
  attempts: number;
  error: unknown;
}

/** The headers a dead letter carries beside the message's own (dead-letter-queue.ts reads them back). */
export const DeadLetterHeaders = {
  error: 'tf-dlq-error',
  errorCode: 'tf-dlq-error-code',
  attempts: 'tf-dlq-attempts',
  originalTopic: 'tf-dlq-original-topic',
  originalPartition: 'tf-dlq-original-partition',
  originalOffset: 'tf-dlq-original-offset',
  consumerGroup: 'tf-dlq-consumer-group',
  failedAt: 'tf-dlq-failed-at',
} as const;

/** Headers that explain why a message was parked, so an operator can replay or discard it. */
export function deadLetterHeaders(message: KafkaMessage, info: DeadLetterInfo): IHeaders {
  return {
    ...message.headers,
    // The raw message, redacted (no presigned URL, path, host or address), and its product code.
    [DeadLetterHeaders.error]: redact(errorMessage(info.error)).slice(0, 2000),
    [DeadLetterHeaders.errorCode]: toJobError(info.error).code,
    [DeadLetterHeaders.attempts]: String(info.attempts),
    [DeadLetterHeaders.originalTopic]: info.topic,
    [DeadLetterHeaders.originalPartition]: String(info.partition),
    [DeadLetterHeaders.originalOffset]: message.offset,
    [DeadLetterHeaders.consumerGroup]: info.consumerGroup,
    [DeadLetterHeaders.failedAt]: new Date().toISOString(),
  };
}

/** Parks the raw message (bytes untouched) on its group's dead-letter topic, keyed as before. */
export async function sendToDeadLetter(producer: Producer, message: KafkaMessage, info: DeadLetterInfo): Promise<void> {
  await producer.send({
    topic: deadLetterTopicFor(info.consumerGroup),
    acks: -1,
    messages: [{ key: message.key, value: message.value, headers: deadLetterHeaders(message, info) }],
  });
  // The base topic: a lane's or a durable retry's message counts under the topic it was sent to first.
  deadLettered.inc({ group: info.consumerGroup, topic: parseLaneTopic(info.topic).base });
}
