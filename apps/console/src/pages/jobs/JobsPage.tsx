import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, data, type Schemas } from '../../api';
import { EmptyState, ErrorState, LoadingState } from '../../ui';

type JobSummary = Schemas['JobSummaryDto'];

/** The tenant's jobs, newest first. */
export default function JobsPage() {
  const [jobs, setJobs] = useState<JobSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    setError(null);
    data(api.GET('/api/v1/jobs', { params: { query: { limit: 50 } } })).then(
      (page) => setJobs(page.jobs),
      (e: unknown) => setError(e),
    );
  }, []);
  useEffect(load, [load]);

  return (
    <section aria-labelledby="jobs-title">
      <h1 id="jobs-title">Jobs</h1>
      {error !== null ? (
        <ErrorState error={error} title="Could not load the jobs" onRetry={load} />
      ) : jobs === null ? (
        <LoadingState label="Loading jobs…" />
      ) : jobs.length === 0 ? (
        <EmptyState title="No jobs yet">
          <p>
            <Link to="/upload">Upload a video</Link> to start one.
          </p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table data-testid="jobs-table">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.job_id} data-testid="job-row" data-job-id={job.job_id}>
                  <td>
                    <Link to={`/jobs/${job.job_id}`}>{job.source?.filename ?? job.job_id}</Link>
                  </td>
                  <td>
                    <span className={`status status-${job.status}`}>{job.status}</span>
                  </td>
                  <td>{new Date(job.created_at).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
