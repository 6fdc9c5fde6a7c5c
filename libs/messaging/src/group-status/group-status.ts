import { PRIORITIES, PipelineConsumerGroup, Priority, deadLetterTopicFor, laneTopic } from '@tf/contracts';

/** One lane of a topic as a group sees it, summed over partitions. */
export interface LaneStatus {
  lane: Priority;
  /** The lane's topic (`tf.video.uploaded.high`). */
  topic: string;
  /** Messages written to the lane (the partitions' high watermarks summed). */
  endOffset: number;
  /** Offsets the group committed, summed (0 for a partition it never committed). */
  committedOffset: number;
  /** Messages written and not yet committed by the group. */
  lag: number;
}

export interface TopicStatus {
  /** The base topic (the normal lane's name). */
  topic: string;
  lag: number;
  committedOffset: number;
  lanes: LaneStatus[];
}

/** One replica in a consumer group, as the coordinator describes it. */
export interface GroupMember {
  /** The consumer's client id: `<service>-<hostname>-<pid>` for the pipeline's services. */
  clientId: string;
  /** The address the coordinator sees the consumer connect from. */
  host: string;
  /** Partitions assigned to it, over every topic and lane (0: an idle replica, or a rebalance under way). */
  assignedPartitions: number;
}

export interface ConsumerGroupStatus {
  group: string;
  service: string;
  stage: PipelineConsumerGroup['stage'];
  /** The coordinator's group state: Stable, PreparingRebalance, CompletingRebalance, Empty or Dead (never seen). */
  state: string;
  /** Replicas in the group right now. */
  members: number;
  /** Those replicas, by client id. */
  memberList: GroupMember[];
  /** Lag over every topic and lane. */
  lag: number;
  topics: TopicStatus[];
  /** The group's dead-letter topic and the messages parked on it (still retained by Kafka). */
  deadLetters: { topic: string; depth: number };
}

/** What the pipeline's consumer groups look like at `readAt`. */
export interface PipelineStatus {
  readAt: Date;
  groups: ConsumerGroupStatus[];
}

/** A topic's partitions as the admin API reports them (offsets are strings). */
export type TopicPartitionOffsets = ReadonlyArray<{ partition: number; high: string; low: string }>;

/** What Kafka said about one group, gathered by readPipelineStatus. */
export interface GroupReadings {
  state: string;
  members: readonly GroupMember[];
  /** Committed offset per topic and partition (-1: none). */
  committed: ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** Offsets of every topic read (absent: the topic does not exist yet). */
  offsets: ReadonlyMap<string, TopicPartitionOffsets>;
}

/**
 * Lag per partition: what was written minus where the group stands. A partition the group never
 * committed counts from its low watermark (the stages subscribe from the beginning), and so does a
 * commit below it (retention deleted what it points to).
 */
export function partitionLag(high: number, low: number, committed: number): number {
  return Math.max(0, high - Math.max(committed, low));
}

/** The status of one group from what Kafka said about it. */
export function groupStatusFrom(group: PipelineConsumerGroup, readings: GroupReadings): ConsumerGroupStatus {
  const topics = group.topics.map((base): TopicStatus => {
    const lanes = PRIORITIES.map((lane): LaneStatus => {
      const topic = laneTopic(base, lane);
      const committed = readings.committed.get(topic) ?? new Map<number, number>();
      let endOffset = 0;
      let committedOffset = 0;
      let lag = 0;
      for (const p of readings.offsets.get(topic) ?? []) {
        const at = committed.get(p.partition) ?? -1;
        endOffset += Number(p.high);
        committedOffset += Math.max(0, at);
        lag += partitionLag(Number(p.high), Number(p.low), at);
      }
      return { lane, topic, endOffset, committedOffset, lag };
    });
    return {
      topic: base,
      lag: sum(lanes.map((l) => l.lag)),
      committedOffset: sum(lanes.map((l) => l.committedOffset)),
      lanes,
    };
  });
  const dlq = deadLetterTopicFor(group.group);
  return {
    group: group.group,
    service: group.service,
    stage: group.stage,
    state: readings.state,
    members: readings.members.length,
    memberList: [...readings.members].sort((a, b) => a.clientId.localeCompare(b.clientId)),
    lag: sum(topics.map((t) => t.lag)),
    topics,
    deadLetters: {
      topic: dlq,
      depth: sum((readings.offsets.get(dlq) ?? []).map((p) => Number(p.high) - Number(p.low))),
    },
  };
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
