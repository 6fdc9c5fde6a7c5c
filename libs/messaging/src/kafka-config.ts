import { Kafka, logLevel, LogEntry } from 'kafkajs';
import { readEnv } from '@tf/config';
import { createJsonLogger } from '@tf/observability';
import { MessagingEnv } from './messaging.env';

export const DEFAULT_BROKERS = '127.0.0.1:9092';
export const DEFAULT_SCHEMA_REGISTRY_URL = 'http://127.0.0.1:8081/apis/ccompat/v7';

export const kafkaBrokers = (env = process.env): string[] =>
  (readEnv(MessagingEnv, env).TF_KAFKA_BROKERS ?? DEFAULT_BROKERS).split(',');
export const schemaRegistryUrl = (env = process.env): string =>
  readEnv(MessagingEnv, env).TF_SCHEMA_REGISTRY_URL ?? DEFAULT_SCHEMA_REGISTRY_URL;
/** The group evicts a member silent for this long (TF_KAFKA_SESSION_TIMEOUT_MS, default 30 s). */
export const kafkaSessionTimeoutMs = (env = process.env): number =>
  readEnv(MessagingEnv, env).TF_KAFKA_SESSION_TIMEOUT_MS;

/** Routes kafkajs' own logs into the service's JSON log stream. */
const jsonLogCreator = () => {
  const logger = createJsonLogger('kafkajs');
  return ({ level, log }: LogEntry) => {
    const { message, ...extra } = log;
    const method = level === logLevel.ERROR ? 'error' : level === logLevel.WARN ? 'warn' : 'info';
    logger[method]({ kafkajs: extra }, message);
  };
};

/** A kafkajs client for one service instance. */
export function createKafka(clientId: string, brokers = kafkaBrokers()): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    logCreator: jsonLogCreator,
    retry: { initialRetryTime: 300, retries: 10 },
  });
}
