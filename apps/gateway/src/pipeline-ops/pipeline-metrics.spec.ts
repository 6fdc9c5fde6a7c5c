import { PipelineConsumerGroup, Topics } from '@tf/contracts';
import { PipelineStatus, groupStatusFrom } from '@tf/messaging';
import { Registry } from 'prom-client';
import { LagCollectorElection } from './lag-collector-election';
import { PipelineMetrics } from './pipeline-metrics';

const group: PipelineConsumerGroup = {
  group: 'tf-hls',
  service: 'hls',
  stage: 'package',
  topics: [Topics.RenditionsReady],
};

const status: PipelineStatus = {
  readAt: new Date(),
  groups: [
    groupStatusFrom(group, {
      state: 'Stable',
      members: ['hls-a-1', 'hls-a-2', 'hls-b-1'].map((clientId) => ({
        clientId,
        host: '127.0.0.1',
        assignedPartitions: 1,
      })),
      committed: new Map([['tf.video.renditions', new Map([[0, 4]])]]),
      offsets: new Map([
        ['tf.video.renditions', [{ partition: 0, high: '10', low: '0' }]],
        ['tf.video.renditions.low', [{ partition: 0, high: '2', low: '0' }]],
        ['tf.dlq.tf-hls', [{ partition: 0, high: '5', low: '0' }]],
      ]),
    }),
  ],
};

/** The election is Postgres' (test/ops/lag-collector.int-spec.ts proves it); here it is given. */
const election = (leader: boolean) => ({ isLeader: async () => leader }) as unknown as LagCollectorElection;

describe('PipelineMetrics', () => {
  it('the elected replica exports lag per group, topic and lane, members, committed offsets and DLQ depth from one reading', async () => {
    const registry = new Registry();
    const snapshot = jest.fn(async () => status);
    new PipelineMetrics(snapshot, election(true), registry);
    const text = await registry.metrics();
    expect(text).toContain(
      'tf_kafka_consumer_lag_messages{group="tf-hls",topic="tf.video.renditions",lane="normal"} 6',
    );
    expect(text).toContain('tf_kafka_consumer_lag_messages{group="tf-hls",topic="tf.video.renditions",lane="low"} 2');
    expect(text).toContain('tf_kafka_consumer_lag_messages{group="tf-hls",topic="tf.video.renditions",lane="high"} 0');
    expect(text).toContain('tf_kafka_consumer_group_members{group="tf-hls"} 3');
    expect(text).toContain('tf_kafka_consumed_offsets_total{group="tf-hls",topic="tf.video.renditions"} 4');
    expect(text).toContain('tf_dlq_depth_messages{group="tf-hls"} 5');
    expect(snapshot).toHaveBeenCalledTimes(1);
  });

  it('another replica exports none of these series and does not read Kafka', async () => {
    const registry = new Registry();
    const snapshot = jest.fn(async () => status);
    new PipelineMetrics(snapshot, election(false), registry);
    const text = await registry.metrics();
    expect(text).not.toMatch(/^tf_kafka_consumer_lag_messages\{/m);
    expect(text).not.toMatch(/^tf_kafka_consumer_group_members\{/m);
    expect(text).not.toMatch(/^tf_dlq_depth_messages\{/m);
    expect(snapshot).not.toHaveBeenCalled();
  });

  it('a failed reading leaves the series out instead of failing the scrape', async () => {
    const registry = new Registry();
    new PipelineMetrics(async () => Promise.reject(new Error('broker down')), election(true), registry);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE tf_kafka_consumer_lag_messages gauge');
    expect(text).not.toMatch(/^tf_kafka_consumer_lag_messages\{/m);
  });

  it('a stalled election check (its Postgres session hangs) leaves the series out after 3 s instead of hanging the scrape', async () => {
    jest.useFakeTimers();
    try {
      const registry = new Registry();
      const stalled = { isLeader: () => new Promise<boolean>(() => undefined) } as unknown as LagCollectorElection;
      const snapshot = jest.fn(async () => status);
      new PipelineMetrics(snapshot, stalled, registry);
      const scrape = registry.metrics();
      await jest.advanceTimersByTimeAsync(3_000);
      const text = await scrape;
      expect(text).toContain('# TYPE tf_kafka_consumer_lag_messages gauge');
      expect(text).not.toMatch(/^tf_kafka_consumer_lag_messages\{/m);
      expect(snapshot).not.toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });
});
