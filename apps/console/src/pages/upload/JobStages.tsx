import { useState } from 'react';
import { Link } from 'react-router';
import { useJobEvents, type JobEvent, type Schemas } from '../../api';

type JobView = Schemas['JobViewDto'];
type StageStatus = JobView['timeline'][number]['status'];

const STAGE_STATUSES: ReadonlySet<string> = new Set<StageStatus>([
  'pending',
  'queued',
  'running',
  'completed',
  'failed',
  'skipped',
  'cancelled',
]);

/** The job a finished upload became, live: its status, overall progress and each stage's status. */
export function JobStages({ jobId }: { jobId: string }) {
  const [job, setJob] = useState<JobView | null>(null);
  const { error } = useJobEvents(jobId, (event: JobEvent) =>
    setJob((current) => (event.type === 'state' ? event.job : current && applyChange(current, event.event))),
  );
  return (
    <div className="job-stages" data-testid="upload-job" data-job-id={jobId}>
      <p>
        <Link to={`/jobs/${jobId}`} data-testid="upload-job-link">
          Job {jobId.slice(0, 8)}
        </Link>{' '}
        <span className={`status status-${job?.status ?? 'queued'}`} data-testid="job-status">
          {job?.status ?? 'queued'}
        </span>
        {job && job.status !== 'completed' && job.status !== 'failed' && (
          <span className="muted"> · {Math.round(job.overall_progress)} %</span>
        )}
        {error && <span className="muted"> · live updates paused ({error.code}), retrying…</span>}
      </p>
      {job?.error && (
        <p className="job-error" role="alert" data-testid="job-error">
          <code data-testid="job-error-code">{job.error.code}</code> {job.error.message}
        </p>
      )}
      {job && (
        <ol className="stages" aria-label={`Stages of job ${jobId.slice(0, 8)}`}>
          {job.timeline.map((t) => (
            <li
              key={t.stage}
              data-testid={`stage-${t.stage}`}
              data-status={t.status}
              className={`stage stage-${t.status}`}
            >
              {t.stage} <span className="stage-status">{t.status}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** A change event applied to the job as last seen (the terminal events carry the whole job). */
function applyChange(job: JobView, event: Schemas['JobEventDto']): JobView {
  if (event.job) return event.job;
  const stageStatus = STAGE_STATUSES.has(event.stage_status ?? '') ? (event.stage_status as StageStatus) : null;
  return {
    ...job,
    status: event.status,
    overall_progress: event.overall_progress ?? job.overall_progress,
    error: event.error ?? job.error,
    timeline:
      event.stage && stageStatus
        ? job.timeline.map((t) => (t.stage === event.stage ? { ...t, status: stageStatus } : t))
        : job.timeline,
  };
}
