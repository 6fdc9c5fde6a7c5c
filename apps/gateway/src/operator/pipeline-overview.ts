import type { PipelineStatus } from '@tf/messaging';
import type { StageFailure, StageOutcomes } from '../jobs/jobs.repository';
import type { PipelineStatusDto, StageStatusDto } from './dto/pipeline-status.dto';

export const DEFAULT_THROUGHPUT_WINDOW_S = 5;
export const MAX_THROUGHPUT_WINDOW_S = 60;
/** The newest failures shown per stage. */
export const RECENT_FAILURES_PER_STAGE = 5;

/** The stages whose completion the job timeline records (the notifier's shows there only when it fails a job). */
const COMPLETIONS_IN_TIMELINE: ReadonlySet<string> = new Set(['validate', 'transcode', 'transcribe', 'package']);

const committedOf = (status: PipelineStatus, group: string): number | null => {
  const g = status.groups.find((x) => x.group === group);
  return g ? g.topics.reduce((sum, t) => sum + t.committedOffset, 0) : null;
};

/**
 * `tflow ops status` from two readings of the consumer groups (`earlier` null: one reading, no
 * throughput) and the stages' outcomes of the last hour from the job table: per group, in chain order,
 * its replicas (each by client id), lag (per lane), the messages it committed per second between the
 * readings, its dead letters, the jobs its stage completed and failed, and the newest of those failures.
 */
export function pipelineOverview(
  earlier: PipelineStatus | null,
  now: PipelineStatus,
  lastHour: readonly StageOutcomes[],
  recentFailures: readonly StageFailure[] = [],
): PipelineStatusDto {
  const seconds = earlier ? (now.readAt.getTime() - earlier.readAt.getTime()) / 1000 : 0;
  const stages = now.groups.map((g): StageStatusDto => {
    const lanes = { high: 0, normal: 0, low: 0 };
    for (const topic of g.topics) for (const lane of topic.lanes) lanes[lane.lane] += lane.lag;
    const before = earlier ? committedOf(earlier, g.group) : null;
    const after = committedOf(now, g.group)!;
    const outcomes = g.stage === null ? null : lastHour.find((o) => o.stage === g.stage);
    return {
      stage: g.stage,
      group: g.group,
      service: g.service,
      state: g.state,
      replicas: g.members,
      members: g.memberList.map((m) => ({
        client_id: m.clientId,
        host: m.host,
        assigned_partitions: m.assignedPartitions,
      })),
      lag: g.lag,
      lag_by_lane: lanes,
      // Offsets only grow (a group reset to earlier ones shows as 0, not as a negative rate).
      throughput_per_s:
        before === null || seconds <= 0 ? null : Math.round((Math.max(0, after - before) / seconds) * 100) / 100,
      dead_letters: g.deadLetters.depth,
      completed_last_hour: g.stage !== null && COMPLETIONS_IN_TIMELINE.has(g.stage) ? (outcomes?.completed ?? 0) : null,
      failed_last_hour: g.stage === null ? null : (outcomes?.failed ?? 0),
      recent_failures: recentFailures
        .filter((f) => f.stage === g.stage)
        .slice(0, RECENT_FAILURES_PER_STAGE)
        .map((f) => ({
          job_id: f.jobId,
          tenant_id: f.tenantId,
          error_code: f.errorCode,
          message: f.errorMessage,
          failed_at: f.failedAt.toISOString(),
        })),
    };
  });
  return { read_at: now.readAt.toISOString(), window_s: Math.round(seconds * 1000) / 1000, stages };
}
