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

/** Headers that explain why a message was parked, so an operator can replay or discard it. */
export function deadLetterHeaders(message: KafkaMessage, info: DeadLetterInfo): IHeaders {
  return {
    ...message.headers,
    // The raw message, redacted (no presigned URL, path, host or address), and its product code.
    'tf-dlq-error': redact(errorMessage(info.error)).slice(0, 2000),
    'tf-dlq-error-code': toJobError(info.error).code,
    'tf-dlq-attempts': String(info.attempts),
    'tf-dlq-original-topic': info.topic,
    'tf-dlq-original-partition': String(info.partition),
    'tf-dlq-original-offset': message.offset,
    'tf-dlq-consumer-group': info.consumerGroup,
    'tf-dlq-failed-at': new Date().toISOString(),
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
