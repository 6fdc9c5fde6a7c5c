import { PipelineConsumerGroup, deadLetterTopicFor, lanesOf } from '@tf/contracts';
import type { Admin } from 'kafkajs';
import { GroupReadings, PipelineStatus, TopicPartitionOffsets, groupStatusFrom } from './group-status';

/**
 * Reads the consumer groups' status from Kafka's admin API: one DescribeGroups, one OffsetFetch per
 * group, and the end offsets of every lane and dead-letter topic once (topics shared by groups are
 * read once). A topic that does not exist yet (a dead-letter topic before its service first started)
 * counts as empty instead of being waited for.
 */
export async function readPipelineStatus(
  admin: Admin,
  groups: readonly PipelineConsumerGroup[],
  now: () => Date = () => new Date(),
): Promise<PipelineStatus> {
  const readAt = now();
  const existing = new Set(await admin.listTopics());
  const topicsOf = (g: PipelineConsumerGroup) => g.topics.flatMap(lanesOf).filter((t) => existing.has(t));
  const wanted = [...new Set(groups.flatMap((g) => [...topicsOf(g), deadLetterTopicFor(g.group)]))].filter((t) =>
    existing.has(t),
  );
  const [described, offsets, committed] = await Promise.all([
    admin.describeGroups(groups.map((g) => g.group)),
    Promise.all(wanted.map(async (t) => [t, await admin.fetchTopicOffsets(t)] as const)),
    Promise.all(groups.map((g) => admin.fetchOffsets({ groupId: g.group, topics: topicsOf(g) }))),
  ]);
  const offsetsByTopic = new Map<string, TopicPartitionOffsets>(offsets);
  return {
    readAt,
    groups: groups.map((group, index) => {
      const description = described.groups.find((d) => d.groupId === group.group);
      const readings: GroupReadings = {
        state: description?.state ?? 'Dead',
        members: description?.members.length ?? 0,
        committed: new Map(
          committed[index].map(({ topic, partitions }) => [
            topic,
            new Map(partitions.map((p) => [p.partition, Number(p.offset)])),
          ]),
        ),
        offsets: offsetsByTopic,
      };
      return groupStatusFrom(group, readings);
    }),
  };
}
