import { randomUUID } from 'node:crypto';
import { PipelineConsumerGroup, Topic, Topics, deadLetterTopicFor, laneTopic } from '@tf/contracts';
import { createKafka, ensureTopics } from '@tf/messaging';
import { Admin, Kafka, Producer } from 'kafkajs';
import { PipelineStatusService } from '../../apps/gateway/src/pipeline-ops';
import { GatewayProcess, newBootstrapKey, send, startGateway } from '../gateway/gateway-harness';
import { waitFor } from '../support/wait';

const LAG_SERIES = /^tf_kafka_consumer_lag_messages\{[^}]*group="tf-validator"[^}]*\} \d+/m;
const DEAD_LETTERED = 'tf_messages_dead_lettered_total';
/** The value of `name`'s series for `group` (and the tracker's progress topic for the counter); 0 when absent. */
function gaugeOf(text: string, name: string, group: string): number {
  const topic = name === DEAD_LETTERED ? `[^}]*topic="${Topics.JobProgress}"` : '';
  const line = new RegExp(`^${name}\\{group="${group}"${topic}[^}]*\\} (\\S+)$`, 'm').exec(text);
  return line ? Number(line[1]) : 0;
}
const scrape = async (gateway: GatewayProcess): Promise<string> => (await send(`${gateway.url}/metrics`)).body;

describe('Kafka status: consumer lag, members, committed offsets and dead letters', () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    kafka = createKafka(`lag-collector-test-${process.pid}`);
    admin = kafka.admin();
    // Idempotent: a send retried after a fresh topic's leader moved is written once, so the counts are exact.
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await Promise.all([admin.connect(), producer.connect()]);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
  });

  it("a stopped group's lag grows with what is written, per lane, while its committed offsets stay", async () => {
    // A group and topic of this test only: the pipeline's own topics have live consumers in other files.
    const base = `tf.test.lag-${randomUUID()}` as Topic;
    const group: PipelineConsumerGroup = {
      group: `tf-test-lag-${randomUUID()}`,
      service: 'test',
      stage: null,
      topics: [base],
    };
    const topics = [base, laneTopic(base, 'high'), laneTopic(base, 'low'), deadLetterTopicFor(group.group)];
    await ensureTopics(kafka, topics);
    // Listed with a leader is not yet served: a fresh partition may answer NOT_LEADER for a moment.
    await waitFor('the new topics to answer offset requests', async () => {
      for (const topic of topics) await admin.fetchTopicOffsets(topic);
      return true;
    });
    const status = new PipelineStatusService(kafka, [group]);
    const produce = (topic: string, n: number) =>
      producer.send({ topic, acks: -1, messages: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 'x' })) });

    // The group handled the first 3 messages and committed them (through its coordinator, as a member
    // does), then stopped: no member is left. (A live member's count is proven by the gateways below.)
    await produce(base, 3);
    const written = await admin.fetchTopicOffsets(base);
    await admin.setOffsets({
      groupId: group.group,
      topic: base,
      partitions: written.map((p) => ({ partition: p.partition, offset: p.high })),
    });
    const before = (await status.snapshot()).groups[0];
    expect(before).toMatchObject({ members: 0, lag: 0 });
    expect(before.topics[0].committedOffset).toBe(3);

    await produce(base, 4);
    await produce(laneTopic(base, 'high'), 2);
    await produce(deadLetterTopicFor(group.group), 1);
    const after = (await status.snapshot()).groups[0];
    expect(after).toMatchObject({ members: 0, state: 'Empty', lag: 6, deadLetters: { depth: 1 } });
    expect(after.topics[0].committedOffset).toBe(3);
    expect(after.topics[0].lanes.map((l) => [l.lane, l.lag])).toEqual([
      ['high', 2],
      ['normal', 4],
      ['low', 0],
    ]);

    await produce(base, 5);
    expect((await status.snapshot()).groups[0].lag).toBe(11);
    await status.onApplicationShutdown();
    await admin.deleteTopics({ topics });
    await admin.deleteGroups([group.group]);
  });

  it('two gateway replicas export the Kafka metrics once (a dead letter counted and in the DLQ depth); when the exporter stops, the other takes over', async () => {
    const key = newBootstrapKey();
    const first = await startGateway({ TF_BOOTSTRAP_API_KEY: key });
    const second = await startGateway({ TF_BOOTSTRAP_API_KEY: key });
    try {
      // The first replica asked takes the lock; the other, asked next, exports none of the series.
      const [a, b] = [await scrape(first), await scrape(second)];
      expect([LAG_SERIES.test(a), LAG_SERIES.test(b)]).toEqual([true, false]);
      for (const name of [
        'tf_kafka_consumer_group_members',
        'tf_kafka_consumed_offsets_total',
        'tf_dlq_depth_messages',
      ])
        expect([a, b].map((text) => new RegExp(`^${name}\\{[^}]*group="tf-gateway-jobs"`, 'm').test(text))).toEqual([
          true,
          false,
        ]);
      // Every pipeline group, topic and lane of the registry has its series, members of the tracker's group included.
      expect(a).toMatch(
        /^tf_kafka_consumer_lag_messages\{group="tf-hls",topic="tf.video.renditions",lane="high"[^}]*\} \d+/m,
      );
      expect(a).toMatch(/^tf_kafka_consumer_group_members\{group="tf-gateway-jobs"[^}]*\} 2$/m);
      // Asked again, still one exporter.
      expect([LAG_SERIES.test(await scrape(second)), LAG_SERIES.test(await scrape(first))]).toEqual([false, true]);

      // A poison message for the tracker: given up on, written to tf.dlq.tf-gateway-jobs, counted by the
      // replica that handled it and seen in the collector's DLQ depth.
      const depthBefore = gaugeOf(a, 'tf_dlq_depth_messages', 'tf-gateway-jobs');
      await producer.send({
        topic: Topics.JobProgress,
        acks: -1,
        messages: [{ key: `poison-${randomUUID()}`, value: Buffer.from('not an Avro message') }],
      });
      await waitFor(
        'the poison message to be dead-lettered and counted',
        async () => {
          const counted =
            gaugeOf(await scrape(first), DEAD_LETTERED, 'tf-gateway-jobs') +
            gaugeOf(await scrape(second), DEAD_LETTERED, 'tf-gateway-jobs');
          return counted === 1 || undefined;
        },
        120_000,
      );
      expect(gaugeOf(await scrape(first), 'tf_dlq_depth_messages', 'tf-gateway-jobs')).toBe(depthBefore + 1);

      await first.stop();
      await waitFor('the second replica to take over the export', async () => LAG_SERIES.test(await scrape(second)));
      expect(second.process.output()).toMatch(/this replica exports the Kafka lag metrics/);
    } finally {
      await first.stop();
      await second.stop();
    }
  });
});
