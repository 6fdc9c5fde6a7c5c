import { PipelineConsumerGroup, deadLetterTopicFor, lanesOf } from '@tf/contracts';
import { Admin, AssignerProtocol, GroupDescription } from 'kafkajs';
import { GroupMember, GroupReadings, PipelineStatus, TopicPartitionOffsets, groupStatusFrom } from './group-status';

/** The partitions a member's assignment names (consumer protocol); 0 when it has none yet or does not decode. */
export function assignedPartitionCount(assignment: Buffer | undefined): number {
  if (!assignment?.length) return 0;
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(assignment);
    return Object.values(decoded?.assignment ?? {}).reduce((n, partitions) => n + partitions.length, 0);
  } catch {
    return 0;
  }
}

const membersOf = (description: GroupDescription | undefined): GroupMember[] =>
  (description?.members ?? []).map((m) => ({
    clientId: m.clientId,
    host: m.clientHost.replace(/^\//, ''),
    assignedPartitions: assignedPartitionCount(m.memberAssignment),
  }));

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
        members: membersOf(description),
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
