import { DEFAULT_PARTITIONS, Topics, lanesOf } from '@tf/contracts';
import { Kafka } from 'kafkajs';

/**
 * Creates the pipeline topics, each in its three priority lanes (and any extra ones), with enough partitions for a stage to scale out.
 * Idempotent; runs at every service start so that a fresh cluster needs no manual step.
 */
export async function ensureTopics(kafka: Kafka, extra: string[] = [], partitions = DEFAULT_PARTITIONS): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [...new Set([...Object.values(Topics).flatMap(lanesOf), ...extra])].filter((t) => !existing.has(t));
    if (wanted.length > 0) {
      await admin
        .createTopics({ waitForLeaders: true, topics: wanted.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })) })
        .catch((e: { type?: string }) => {
          if (e?.type !== 'TOPIC_ALREADY_EXISTS') throw e;
        });
    }
  } finally {
    await admin.disconnect();
  }
}
