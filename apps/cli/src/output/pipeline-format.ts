import type { PipelineStatus } from '../api';
import { formatTable } from './table';

const count = (n: number | null): string => (n === null ? '-' : String(n));

/**
 * `ops status`: one line per consumer group in the order of the event chain: the stage it runs,
 * replicas, lag (all lanes, then high/normal/low), messages committed per second over the window,
 * dead letters, jobs the stage completed and failed in the last hour, and the group's state.
 */
export function formatPipelineStatus(status: PipelineStatus): string[] {
  const rows = status.stages.map((s) => [
    s.stage ?? 'track',
    s.group,
    String(s.replicas),
    `${s.lag} (${s.lag_by_lane.high}/${s.lag_by_lane.normal}/${s.lag_by_lane.low})`,
    s.throughput_per_s === null ? '-' : s.throughput_per_s.toFixed(2),
    String(s.dead_letters),
    count(s.completed_last_hour),
    count(s.failed_last_hour),
    s.state,
  ]);
  return [
    ...formatTable(
      ['STAGE', 'GROUP', 'REPLICAS', 'LAG (H/N/L)', 'MSG/S', 'DEAD LETTERS', 'DONE 1H', 'FAILED 1H', 'STATE'],
      rows,
    ),
    `read at ${status.read_at}; throughput over ${status.window_s} s`,
  ];
}
