import type { IHeaders } from 'kafkajs';
import type { DurableRetryConfig } from './durable-retry-config';

/**
 * One delayed retry topic per consumer group and level. Every message of a level waits the same
 * delay, so a topic's order (FIFO) is also its due order: its consumer only ever looks at the head.
 */
export const retryTopicFor = (consumerGroup: string, level: number): string => `tf.retry.${consumerGroup}.${level}`;

/** The group's retry topics, level 1 first. */
export const retryTopicsFor = (consumerGroup: string, config: DurableRetryConfig): string[] =>
  Array.from({ length: config.retries }, (_, i) => retryTopicFor(consumerGroup, i + 1));

const RETRY_TOPIC = /^tf\.retry\.(.+)\.(\d+)$/;

/** The level of a retry topic, or null for any other topic. */
export function retryLevelOf(topic: string): number | null {
  const match = RETRY_TOPIC.exec(topic);
  return match ? Number(match[2]) : null;
}

/** How long a message waits on `level`: the first delay doubled per level, capped. */
export const delayForLevel = (level: number, config: DurableRetryConfig): number =>
  Math.min(config.maxDelayMs, config.firstDelayMs * 2 ** (level - 1));

/** Headers a parked message carries (its bytes, key and other headers are untouched). */
export const RetryHeaders = {
  originalTopic: 'tf-retry-original-topic',
  level: 'tf-retry-level',
  dueAt: 'tf-retry-due-at',
  reason: 'tf-retry-reason',
} as const;

export interface ScheduledRetry {
  level: number;
  topic: string;
  dueAt: number;
}

/**
 * Where a message that failed transiently on `currentLevel` (0: its original topic) goes next,
 * or null when its durable retries are used up.
 */
export function nextRetry(
  consumerGroup: string,
  currentLevel: number,
  config: DurableRetryConfig,
  now: number,
): ScheduledRetry | null {
  const level = currentLevel + 1;
  if (level > config.retries) return null;
  return { level, topic: retryTopicFor(consumerGroup, level), dueAt: now + delayForLevel(level, config) };
}

const header = (headers: IHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
};

export interface ParkedMessage {
  originalTopic: string;
  level: number;
  dueAt: number;
}

/** Reads the retry headers of a message consumed from a retry topic; null when they are missing or broken. */
export function readRetryHeaders(headers: IHeaders | undefined): ParkedMessage | null {
  const originalTopic = header(headers, RetryHeaders.originalTopic);
  const level = Number(header(headers, RetryHeaders.level));
  const dueAt = Number(header(headers, RetryHeaders.dueAt));
  if (!originalTopic || !Number.isInteger(level) || level < 1 || !Number.isFinite(dueAt)) return null;
  return { originalTopic, level, dueAt };
}

/** The headers of a message parked for `retry`, keeping the ones it had (trace context among them). */
export function retryHeaders(
  headers: IHeaders | undefined,
  originalTopic: string,
  retry: ScheduledRetry,
  reason: string,
): IHeaders {
  return {
    ...headers,
    [RetryHeaders.originalTopic]: originalTopic,
    [RetryHeaders.level]: String(retry.level),
    [RetryHeaders.dueAt]: String(retry.dueAt),
    [RetryHeaders.reason]: reason,
  };
}

/** What the consumer of a retry topic does with the head of a partition. */
export type HeadDecision = { action: 'handle' } | { action: 'wait'; ms: number };

/** The head is handled once due; until then its partition is paused for the rest of the wait. */
export const decideHead = (dueAt: number, now: number): HeadDecision =>
  dueAt <= now ? { action: 'handle' } : { action: 'wait', ms: dueAt - now };
