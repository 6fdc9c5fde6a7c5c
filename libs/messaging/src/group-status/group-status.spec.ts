import { PipelineConsumerGroup, Topics } from '@tf/contracts';
import { AssignerProtocol } from 'kafkajs';
import { GroupMember, GroupReadings, groupStatusFrom, partitionLag } from './group-status';
import { assignedPartitionCount } from './read-pipeline-status';

const group: PipelineConsumerGroup = {
  group: 'tf-validator',
  service: 'validator',
  stage: 'validate',
  topics: [Topics.VideoUploaded],
};

const member = (clientId: string, assignedPartitions: number): GroupMember => ({
  clientId,
  host: '10.0.0.7',
  assignedPartitions,
});

const readings = (over: Partial<GroupReadings>): GroupReadings => ({
  state: 'Stable',
  members: [member('validator-b-2', 1), member('validator-a-1', 2)],
  committed: new Map(),
  offsets: new Map(),
  ...over,
});

describe('partitionLag', () => {
  it('is what was written past the commit', () => expect(partitionLag(10, 0, 7)).toBe(3));
  it('counts from the low watermark when the group never committed', () => expect(partitionLag(10, 4, -1)).toBe(6));
  it('counts from the low watermark when retention deleted past the commit', () =>
    expect(partitionLag(10, 8, 5)).toBe(2));
  it('is never negative', () => expect(partitionLag(3, 0, 5)).toBe(0));
});

describe('groupStatusFrom', () => {
  it('sums lag and committed offsets per lane and topic, and counts the dead letters', () => {
    const status = groupStatusFrom(
      group,
      readings({
        committed: new Map([
          [
            'tf.video.uploaded',
            new Map([
              [0, 5],
              [1, -1],
            ]),
          ],
          ['tf.video.uploaded.high', new Map([[0, 2]])],
        ]),
        offsets: new Map([
          [
            'tf.video.uploaded',
            [
              { partition: 0, high: '8', low: '0' },
              { partition: 1, high: '4', low: '1' },
            ],
          ],
          ['tf.video.uploaded.high', [{ partition: 0, high: '2', low: '0' }]],
          ['tf.video.uploaded.low', [{ partition: 0, high: '6', low: '0' }]],
          ['tf.dlq.tf-validator', [{ partition: 0, high: '9', low: '2' }]],
        ]),
      }),
    );
    expect(status).toMatchObject({ group: 'tf-validator', stage: 'validate', state: 'Stable', members: 2, lag: 12 });
    expect(status.topics).toEqual([
      {
        topic: 'tf.video.uploaded',
        lag: 12,
        committedOffset: 7,
        lanes: [
          { lane: 'high', topic: 'tf.video.uploaded.high', endOffset: 2, committedOffset: 2, lag: 0 },
          { lane: 'normal', topic: 'tf.video.uploaded', endOffset: 12, committedOffset: 5, lag: 6 },
          { lane: 'low', topic: 'tf.video.uploaded.low', endOffset: 6, committedOffset: 0, lag: 6 },
        ],
      },
    ]);
    expect(status.deadLetters).toEqual({ topic: 'tf.dlq.tf-validator', depth: 7 });
  });

  it('shows a topic Kafka does not have yet as empty, and a group without members as such', () => {
    const status = groupStatusFrom(group, readings({ state: 'Empty', members: [] }));
    expect(status).toMatchObject({ state: 'Empty', members: 0, memberList: [], lag: 0, deadLetters: { depth: 0 } });
    expect(status.topics[0].lanes.map((l) => l.endOffset)).toEqual([0, 0, 0]);
  });
});

describe('the group members', () => {
  it('lists each replica by client id with its host and assigned partitions', () => {
    const status = groupStatusFrom(group, readings({}));
    expect(status.members).toBe(2);
    expect(status.memberList).toEqual([member('validator-a-1', 2), member('validator-b-2', 1)]);
  });

  it("counts the partitions of a member's assignment over its topics", () => {
    const assignment = AssignerProtocol.MemberAssignment.encode({
      version: 0,
      assignment: { 'tf.video.uploaded': [0, 1, 2], 'tf.video.uploaded.high': [0] },
      userData: Buffer.alloc(0),
    });
    expect(assignedPartitionCount(assignment)).toBe(4);
    // A member that joined and has no assignment yet (rebalancing), or bytes that are not one.
    expect(assignedPartitionCount(Buffer.alloc(0))).toBe(0);
    expect(assignedPartitionCount(Buffer.from([1, 2, 3]))).toBe(0);
  });
});
