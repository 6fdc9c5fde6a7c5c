import { PIPELINE_CONSUMER_GROUPS, laneTopic } from '@tf/contracts';
import type { ConsumerGroupStatus, PipelineStatus } from '@tf/messaging';
import type { StageFailure } from '../jobs/jobs.repository';
import { pipelineOverview } from './pipeline-overview';

/** A group's reading: `committed` per base topic (on the normal lane), `lag` per lane of its first topic. */
function groupAt(
  group: string,
  o: {
    committed?: Record<string, number>;
    lag?: { high?: number; normal?: number; low?: number };
    members?: number;
    dlq?: number;
  } = {},
): ConsumerGroupStatus {
  const entry = PIPELINE_CONSUMER_GROUPS.find((g) => g.group === group)!;
  const topics = entry.topics.map((topic, i) => {
    const lanes = (['high', 'normal', 'low'] as const).map((lane) => {
      const lag = i === 0 ? (o.lag?.[lane] ?? 0) : 0;
      const committedOffset = lane === 'normal' ? (o.committed?.[topic] ?? 0) : 0;
      return { lane, topic: laneTopic(topic, lane), endOffset: committedOffset + lag, committedOffset, lag };
    });
    return {
      topic,
      lag: lanes.reduce((s, l) => s + l.lag, 0),
      committedOffset: lanes.reduce((s, l) => s + l.committedOffset, 0),
      lanes,
    };
  });
  return {
    group,
    service: entry.service,
    stage: entry.stage,
    state: (o.members ?? 1) > 0 ? 'Stable' : 'Empty',
    members: o.members ?? 1,
    memberList: Array.from({ length: o.members ?? 1 }, (_, i) => ({
      clientId: `${entry.service}-host-${100 + i}`,
      host: '10.0.0.7',
      assignedPartitions: 2,
    })),
    lag: topics.reduce((s, t) => s + t.lag, 0),
    topics,
    deadLetters: { topic: `tf.dlq.${group}`, depth: o.dlq ?? 0 },
  };
}

const reading = (at: number, groups: ConsumerGroupStatus[]): PipelineStatus => ({ readAt: new Date(at), groups });

describe('pipelineOverview', () => {
  const t0 = Date.parse('2026-12-05T17:00:00Z');

  it('per group in chain order: replicas, lag per lane, messages committed per second between the readings, dead letters', () => {
    const earlier = reading(t0, [
      groupAt('tf-validator', { committed: { 'tf.video.uploaded': 100 } }),
      groupAt('tf-transcoder', { committed: { 'tf.video.validated': 40, 'tf.job.cancelled': 3 } }),
    ]);
    const now = reading(t0 + 10_000, [
      groupAt('tf-validator', { committed: { 'tf.video.uploaded': 150 }, members: 3, lag: { normal: 4 } }),
      groupAt('tf-transcoder', {
        committed: { 'tf.video.validated': 45, 'tf.job.cancelled': 3 },
        members: 0,
        lag: { high: 2, normal: 7, low: 1 },
        dlq: 2,
      }),
    ]);
    const overview = pipelineOverview(earlier, now, []);
    expect(overview.read_at).toBe('2026-12-05T17:00:10.000Z');
    expect(overview.window_s).toBe(10);
    expect(overview.stages.map((s) => s.group)).toEqual(['tf-validator', 'tf-transcoder']);
    expect(overview.stages[0]).toMatchObject({
      stage: 'validate',
      replicas: 3,
      lag: 4,
      lag_by_lane: { high: 0, normal: 4, low: 0 },
      throughput_per_s: 5,
      dead_letters: 0,
    });
    expect(overview.stages[1]).toMatchObject({
      stage: 'transcode',
      replicas: 0,
      state: 'Empty',
      lag: 10,
      lag_by_lane: { high: 2, normal: 7, low: 1 },
      throughput_per_s: 0.5,
      dead_letters: 2,
    });
  });

  it('one reading: no throughput; offsets that went back (a group reset) read as 0, never negative', () => {
    const now = reading(t0 + 5_000, [groupAt('tf-hls', { committed: { 'tf.video.renditions': 10 } })]);
    expect(pipelineOverview(null, now, []).stages[0].throughput_per_s).toBeNull();
    expect(pipelineOverview(null, now, []).window_s).toBe(0);
    const earlier = reading(t0, [groupAt('tf-hls', { committed: { 'tf.video.renditions': 30 } })]);
    expect(pipelineOverview(earlier, now, []).stages[0].throughput_per_s).toBe(0);
  });

  it("the last hour's outcomes of the group's stage; none for the tracker; only failures for the notifier", () => {
    const groups = ['tf-transcoder', 'tf-hls', 'tf-gateway-jobs', 'tf-notifier'].map((g) => groupAt(g));
    const overview = pipelineOverview(null, reading(t0, groups), [
      { stage: 'transcode', completed: 12, failed: 2 },
      { stage: 'notify', completed: 0, failed: 1 },
      { stage: 'upload', completed: 20, failed: 0 },
    ]);
    expect(overview.stages.map((s) => [s.group, s.completed_last_hour, s.failed_last_hour])).toEqual([
      ['tf-transcoder', 12, 2],
      ['tf-hls', 0, 0],
      ['tf-gateway-jobs', null, null],
      ['tf-notifier', null, 1],
    ]);
  });

  it('lists each replica by client id, and the newest failures of its stage (none for the tracker)', () => {
    const groups = ['tf-validator', 'tf-transcoder', 'tf-gateway-jobs'].map((g) => groupAt(g, { members: 2 }));
    const failure = (stage: string, jobId: string, minute: number): StageFailure => ({
      stage,
      jobId,
      tenantId: 'acme',
      errorCode: 'TRANSCODE_FAILED',
      errorMessage: 'The video could not be transcoded',
      failedAt: new Date(t0 - minute * 60_000),
    });
    const transcodeFailures = Array.from({ length: 7 }, (_, i) => failure('transcode', `job-${i}`, i));
    const overview = pipelineOverview(
      null,
      reading(t0, groups),
      [],
      [...transcodeFailures, failure('package', 'p', 1)],
    );
    expect(overview.stages[1].members).toEqual([
      { client_id: 'transcoder-host-100', host: '10.0.0.7', assigned_partitions: 2 },
      { client_id: 'transcoder-host-101', host: '10.0.0.7', assigned_partitions: 2 },
    ]);
    expect(overview.stages[0].recent_failures).toEqual([]);
    expect(overview.stages[1].recent_failures.map((f) => f.job_id)).toEqual([
      'job-0',
      'job-1',
      'job-2',
      'job-3',
      'job-4',
    ]);
    expect(overview.stages[1].recent_failures[0]).toEqual({
      job_id: 'job-0',
      tenant_id: 'acme',
      error_code: 'TRANSCODE_FAILED',
      message: 'The video could not be transcoded',
      failed_at: '2026-12-05T17:00:00.000Z',
    });
    expect(overview.stages[2].recent_failures).toEqual([]);
  });
});
