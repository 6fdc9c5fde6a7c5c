import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, data, useTenantJobEvents, type Schemas, type TenantJobEvent } from '../../api';
import { useSession } from '../../session/session';
import { EmptyState, ErrorState, LoadingState } from '../../ui';
import { AnswerSequence } from './answer-sequence';
import { FiltersForm } from './FiltersForm';
import { JobRow, type JobSummary } from './JobRow';
import { filtersFrom, listQuery, paramsOf, type JobFilters } from './job-filters';

const PAGE = 100;
/** Reload once for a burst of new jobs (a batch upload announces each). */
const RELOAD_DELAY_MS = 400;

type JobEvent = Schemas['JobEventDto'];

/** A change of a listed job, applied in place (the list shows it as it happens). */
const applyChange = (job: JobSummary, e: JobEvent): JobSummary => ({
  ...job,
  status: e.status as JobSummary['status'],
  overall_progress: e.overall_progress ?? job.overall_progress,
  error: e.type === 'failed' ? (e.error ?? job.error) : e.type === 'retried' ? null : job.error,
});

/** The tenant's jobs, newest first: filters in the URL, live updates, cancel and retry where allowed. */
export default function JobsPage() {
  const session = useSession();
  const canWrite = session.scopes.includes('jobs:write') || session.scopes.includes('admin');
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFrom(params), [params]);
  const [jobs, setJobs] = useState<JobSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const loaded = useRef(0);
  const answers = useRef(new AnswerSequence()).current;
  /** Reads already running: a live event seen meanwhile may be missing from their answer. */
  const reading = useRef(0);
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const reloadRef = useRef<() => void>(() => undefined);

  const load = useCallback(
    async (limit = PAGE) => {
      const ticket = answers.replace();
      reading.current += 1;
      try {
        const page = await data(api.GET('/api/v1/jobs', { params: { query: listQuery(filters, limit) } }));
        if (!answers.isCurrent(ticket)) return; // a newer read (other filters, a reload) owns the list
        setJobs(page.jobs);
        setCursor(page.next_cursor);
        setError(null);
        loaded.current = page.jobs.length;
        // Events that came while this read ran were dropped or applied to the old list: read again.
        if (answers.changed(ticket)) reloadRef.current();
      } catch (e) {
        if (answers.isCurrent(ticket)) setError(e);
      } finally {
        reading.current -= 1;
      }
    },
    [filters, answers],
  );

  useEffect(() => {
    setJobs(null);
    setCursor(null);
    void load();
  }, [load]);

  const loadMore = async () => {
    if (!cursor) return;
    const ticket = answers.extend();
    setLoadingMore(true);
    try {
      const page = await data(api.GET('/api/v1/jobs', { params: { query: listQuery(filters, PAGE, cursor) } }));
      if (!answers.isCurrent(ticket)) return; // the list was replaced meanwhile: this page belongs to the old one
      setJobs((current) => [...(current ?? []), ...page.jobs]);
      setCursor(page.next_cursor);
      loaded.current += page.jobs.length;
    } catch (e) {
      if (answers.isCurrent(ticket)) setError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  // New jobs (and missed changes) reload the first pages; changes of listed jobs apply in place. The
  // timer calls the newest `load` (the filters of when it fires, not of when it was set).
  reloadRef.current = () => {
    clearTimeout(reloadTimer.current);
    reloadTimer.current = setTimeout(() => void load(Math.min(100, Math.max(PAGE, loaded.current))), RELOAD_DELAY_MS);
  };
  useEffect(() => () => clearTimeout(reloadTimer.current), []);

  const onEvent = useCallback(
    (event: TenantJobEvent) => {
      // A read running now may answer without this change: it reads again once applied.
      if (reading.current > 0) answers.noteChange();
      if (event.type === 'resync') return reloadRef.current();
      const change = event.event;
      setJobs((current) => {
        // No list yet: the running read noted the change above and reads again after its answer.
        if (!current) return current;
        const index = current.findIndex((j) => j.job_id === change.job_id);
        if (index < 0) {
          if (change.type === 'created') reloadRef.current();
          return current;
        }
        const next = current.slice();
        next[index] = applyChange(current[index], change);
        return next;
      });
    },
    [answers],
  );
  const live = useTenantJobEvents(onEvent);

  const onChanged = useCallback((patch: Partial<JobSummary> & { job_id: string }) => {
    setJobs((current) => current && current.map((j) => (j.job_id === patch.job_id ? { ...j, ...patch } : j)));
  }, []);

  const apply = (next: JobFilters) => setParams(paramsOf(next));
  const filtered = Object.keys(paramsOf(filters)).length > 0;

  return (
    <section aria-labelledby="jobs-title">
      <div className="page-head">
        <h1 id="jobs-title">Jobs</h1>
        <span className={live.live ? 'live live-on' : 'live'} data-testid="jobs-live" data-live={live.live}>
          {live.live ? 'Live' : 'Not live (reconnecting)'}
        </span>
        <Link className="button" to="/upload">
          Upload
        </Link>
      </div>
      <FiltersForm key={params.toString()} value={filters} onApply={apply} />
      {error !== null ? (
        <ErrorState error={error} title="Could not load the jobs" onRetry={() => void load()} />
      ) : jobs === null ? (
        <LoadingState label="Loading jobs…" />
      ) : jobs.length === 0 ? (
        <EmptyState title={filtered ? 'No job matches these filters' : 'No jobs yet'}>
          <p>{filtered ? 'Change or clear the filters.' : <Link to="/upload">Upload a video to start one.</Link>}</p>
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="stack-narrow" data-testid="jobs-table">
              <caption className="visually-hidden">Jobs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Status</th>
                  <th scope="col">Progress</th>
                  <th scope="col" className="hide-narrow">
                    Labels
                  </th>
                  <th scope="col" className="hide-narrow">
                    Created
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {jobs.map((job) => (
                  <JobRow key={job.job_id} job={job} canWrite={canWrite} onChanged={onChanged} />
                ))}
              </tbody>
            </table>
          </div>
          {cursor && (
            <p>
              <button type="button" className="secondary" disabled={loadingMore} onClick={() => void loadMore()}>
                {loadingMore ? 'Loading…' : 'Load more'}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
