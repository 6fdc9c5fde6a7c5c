import { memo, useState } from 'react';
import { Link } from 'react-router';
import { api, data, type Schemas } from '../../api';
import { ErrorState } from '../../ui';

export type JobSummary = Schemas['JobSummaryDto'];

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const formatBytes = (bytes: number): string =>
  bytes >= 1024 ** 3
    ? `${(bytes / 1024 ** 3).toFixed(1)} GB`
    : bytes >= 1024 ** 2
      ? `${(bytes / 1024 ** 2).toFixed(1)} MB`
      : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** One job of the list: name, status (with the error code when failed), progress, labels, and cancel/retry where allowed. */
export const JobRow = memo(function JobRow({
  job,
  canWrite,
  onChanged,
}: {
  job: JobSummary;
  canWrite: boolean;
  onChanged: (patch: Partial<JobSummary> & { job_id: string }) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const name = job.source.filename || job.job_id;
  const canCancel = canWrite && (job.status === 'queued' || job.status === 'processing');
  const canRetry = canWrite && job.status === 'failed';

  const act = async (action: 'cancel' | 'retry') => {
    setBusy(true);
    setError(null);
    try {
      const params = { params: { path: { id: job.job_id } } };
      if (action === 'cancel') {
        const result = await data(api.POST('/api/v1/jobs/{id}/cancel', params));
        onChanged({ job_id: job.job_id, status: result.status, cancelled_at: result.cancelled_at });
      } else {
        const result = await data(api.POST('/api/v1/jobs/{id}/retry', params));
        onChanged({ job_id: job.job_id, status: result.status, attempt: result.attempt, error: null });
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <tr data-testid="job-row" data-job-id={job.job_id} data-status={job.status}>
      <td>
        <Link to={`/jobs/${job.job_id}`}>{name}</Link>
        <div className="muted small">{formatBytes(job.source.bytes)}</div>
      </td>
      <td data-label="Status">
        <span className={`status status-${job.status}`} data-testid="job-status">
          {job.status}
        </span>
        {job.error && (
          <div className="small">
            <code data-testid="job-error-code">{job.error.code}</code>
          </div>
        )}
      </td>
      <td data-label="Progress">
        <progress
          max={100}
          value={job.overall_progress}
          aria-label={`Progress of ${name}`}
          data-testid="job-progress"
        />{' '}
        <span className="small">{Math.round(job.overall_progress)}%</span>
      </td>
      <td className="hide-narrow">
        {job.labels.map((l) => (
          <span key={l} className="label">
            {l}
          </span>
        ))}
      </td>
      <td className="hide-narrow">
        <time dateTime={job.created_at}>{dateTime.format(new Date(job.created_at))}</time>
      </td>
      <td>
        <div className="row-actions">
          {canCancel && (
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => void act('cancel')}
              aria-label={`Cancel ${name}`}
            >
              Cancel
            </button>
          )}
          {canRetry && (
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => void act('retry')}
              aria-label={`Retry ${name}`}
            >
              Retry
            </button>
          )}
        </div>
        {error !== null && <ErrorState error={error} title="Refused" />}
      </td>
    </tr>
  );
});
