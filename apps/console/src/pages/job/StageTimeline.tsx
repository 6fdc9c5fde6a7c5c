import { useEffect, useState } from 'react';
import type { Schemas } from '../../api';
import { formatDuration, formatTime } from './job-format';

type Stage = Schemas['JobViewDto']['timeline'][number];

/** Each stage's start, end and duration; a running stage's duration counts up live. */
export function StageTimeline({ timeline }: { timeline: Stage[] }) {
  const running = timeline.some((s) => s.status === 'running' || s.status === 'queued');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, [running]);

  return (
    <div className="table-wrap">
      <table className="timeline stack-narrow" data-testid="stage-timeline">
        <caption className="visually-hidden">Stages of the job</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">Status</th>
            <th scope="col" className="hide-narrow">
              Queued
            </th>
            <th scope="col">Started</th>
            <th scope="col">Finished</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {timeline.map((s) => {
            const started = s.started_at ? Date.parse(s.started_at) : null;
            const finished = s.finished_at ? Date.parse(s.finished_at) : null;
            const duration = started !== null ? (finished ?? now) - started : null;
            return (
              <tr key={s.stage} data-testid="stage-row" data-stage={s.stage} data-status={s.status}>
                <th scope="row">{s.stage}</th>
                <td data-label="Status">
                  <span className={`status status-${s.status}`}>{s.status}</span>
                  {s.status === 'running' && s.progress !== null && (
                    <progress max={100} value={s.progress} aria-label={`${s.stage} progress`} />
                  )}
                  {s.retry && (
                    <span className="muted">
                      {' '}
                      retry {s.retry.attempt} at {formatTime(s.retry.next_attempt_at)} ({s.retry.reason})
                    </span>
                  )}
                </td>
                <td className="hide-narrow">{formatTime(s.queued_at)}</td>
                <td data-label="Started">{formatTime(s.started_at)}</td>
                <td data-label="Finished">{formatTime(s.finished_at)}</td>
                <td data-label="Duration">
                  {duration === null ? '—' : formatDuration(duration)}
                  {duration !== null && finished === null && <span className="muted"> (live)</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
