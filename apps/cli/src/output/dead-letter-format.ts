import type { DeadLetterList, ReplayResult } from '../api';
import { printable } from './printable';
import { formatTable } from './table';

const or = (value: string | number | null): string => (value === null ? '-' : printable(String(value)));

/**
 * `dlq list`: each group's depth, then one line per dead letter (where it sits, its job and the job's
 * status now, the event, when, the code, and the redacted error last, escaped).
 */
export function formatDeadLetters(list: DeadLetterList): string[] {
  if (list.queues.length === 0) return ['no dead-letter topics'];
  const queues = formatTable(
    ['GROUP', 'DEAD LETTERS'],
    list.queues.map((q) => [q.group, String(q.depth)]),
  );
  if (list.dead_letters.length === 0) return [...queues, '', 'no dead letters'];
  const letters = formatTable(
    ['GROUP', 'AT', 'JOB', 'JOB STATUS', 'EVENT', 'FAILED AT', 'CODE', 'ERROR'],
    list.dead_letters.map((d) => [
      d.group,
      `${d.partition}@${d.offset}`,
      or(d.job_id),
      or(d.job_status),
      or(d.event_type),
      or(d.failed_at),
      or(d.error_code),
      or(d.error),
    ]),
  );
  return [...queues, '', ...letters];
}

/** `dlq replay`: what was replayed and how, and what was not, with why. */
export function formatReplay(r: ReplayResult): string[] {
  return [
    `replayed ${r.replayed.length} of ${r.matched} dead letter(s) of ${r.group}`,
    ...r.replayed.map(
      (d) =>
        `${d.partition}@${d.offset} job ${d.job_id}: ${
          d.action === 'job_retried' ? `job retried from ${d.restarted_stages.join(', ')}` : 'redelivered to the group'
        }`,
    ),
    ...r.skipped.map(
      (s) => `${s.partition}@${s.offset} job ${or(s.job_id)}: skipped, ${s.code} ${printable(s.message)}`,
    ),
  ];
}
