import { Kafka, logLevel } from 'kafkajs';

export const DEFAULT_BROKERS = '127.0.0.1:9092';
export const DEFAULT_SCHEMA_REGISTRY_URL = 'http://127.0.0.1:8081/apis/ccompat/v7';

export const kafkaBrokers = (): string[] => (process.env.TF_KAFKA_BROKERS ?? DEFAULT_BROKERS).split(',');
export const schemaRegistryUrl = (): string => process.env.TF_SCHEMA_REGISTRY_URL ?? DEFAULT_SCHEMA_REGISTRY_URL;

/** A kafkajs client for one service instance. */
export function createKafka(clientId: string, brokers = kafkaBrokers()): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 300, retries: 10 },
  });
}
