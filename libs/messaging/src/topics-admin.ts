import { DEFAULT_PARTITIONS, Topics, lanesOf } from '@tf/contracts';
import { Admin, Kafka } from 'kafkajs';

/** How long a start-up waits for freshly created topics to be served by the broker. */
const METADATA_READY_TIMEOUT_MS = 60_000;

/**
 * Creates the pipeline topics, each in its three priority lanes (and any extra ones), with enough partitions for a stage to scale out.
 * Idempotent; runs at every service start so that a fresh cluster needs no manual step.
 *
 * Returns only once the broker serves metadata with a leader for every partition of every topic:
 * a topic that another process has just created is listed before its partitions are hosted, and a
 * consumer subscribing in that window fails with UNKNOWN_TOPIC_OR_PARTITION (kafkajs does not retry it).
 */
export async function ensureTopics(kafka: Kafka, extra: string[] = [], partitions = DEFAULT_PARTITIONS): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const all = [...new Set([...Object.values(Topics).flatMap(lanesOf), ...extra])];
    const existing = new Set(await admin.listTopics());
    const wanted = all.filter((t) => !existing.has(t));
    if (wanted.length > 0) {
      await admin
        .createTopics({
          waitForLeaders: false,
          topics: wanted.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
        })
        .catch((e: { type?: string }) => {
          if (e?.type !== 'TOPIC_ALREADY_EXISTS') throw e;
        });
    }
    await waitForLeaders(admin, all);
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
  const deadline = Date.now() + METADATA_READY_TIMEOUT_MS;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
    const missing = await topicsWithoutLeaders(admin, topics);
    if (missing.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`Kafka topics not served after ${METADATA_READY_TIMEOUT_MS} ms: ${missing.join(', ')}`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

async function topicsWithoutLeaders(admin: Admin, topics: string[]): Promise<string[]> {
  try {
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
    const served = new Set(
      metadata.filter((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)).map((t) => t.name),
    );
    return topics.filter((t) => !served.has(t));
  } catch {
    // UNKNOWN_TOPIC_OR_PARTITION / LEADER_NOT_AVAILABLE while the broker catches up: not ready yet.
    return topics;
  }
}
