import type { JobOutput, MediaInfo, SkippedRendition } from '@tf/contracts';
import { publicJobError } from '@tf/errors';
import { collectOutputs, skippedOutputs } from '../tracker/job-fan-in';
import { JobError, JobRecord, JobStatus, StageRetry, TimelineEntry } from './job-record';

export interface OutputView {
  kind: string;
  label: string;
  /** Presigned GET URL. */
  url: string;
  content_type: string;
  bytes: number;
}

/** A stage waiting for a retry after an outage. */
export type StageRetryView = Omit<StageRetry, 'since'>;

/** GET /api/v1/jobs/:id */
export interface JobView {
  job_id: string;
  status: JobStatus;
  error: JobError | null;
  labels: string[];
  /** 1, +1 per retry. */
  attempt: number;
  source: { filename: string; bytes: number; content_type: string; media: MediaInfo | null };
  timeline: Array<Omit<TimelineEntry, 'retry'> & { retry: StageRetryView | null }>;
  skipped: SkippedRendition[];
  outputs: OutputView[];
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  cancelled_at: string | null;
}

/** One job in GET /api/v1/jobs: the state without timeline, media or output URLs (GET /api/v1/jobs/:id has those). */
export interface JobSummary {
  job_id: string;
  status: JobStatus;
  error: JobError | null;
  labels: string[];
  attempt: number;
  source: { filename: string; bytes: number; content_type: string };
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  cancelled_at: string | null;
}

/** GET /api/v1/jobs */
export interface JobListView {
  jobs: JobSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  next_cursor: string | null;
}

/** A job's error as the API shows it: a listed code (rows stored before the list existed may hold others). */
const errorView = (error: JobError | null): JobError | null => error && publicJobError(error.code, error.message);

/** The outputs a response lists: the final list once completed, what exists so far before. */
export const outputsOf = (job: JobRecord): JobOutput[] => job.outputs ?? collectOutputs(job);

/** The API shape of a job; `urls[i]` is the presigned URL of `outputsOf(job)[i]`. */
export function toJobView(job: JobRecord, urls: string[]): JobView {
  return {
    job_id: job.id,
    status: job.status,
    error: errorView(job.error),
    labels: job.labels,
    attempt: job.attempt,
    source: { filename: job.originalFilename, bytes: job.source.bytes, content_type: job.source.content_type, media: job.media },
    // jsonb keeps keys in its own order; the API lists them as documented.
    timeline: job.timeline.map(({ stage, status, started_at, finished_at, progress, detail, retry }) => ({
      stage,
      status,
      started_at,
      finished_at,
      progress,
      detail,
      retry: retry ? { attempt: retry.attempt, next_attempt_at: retry.next_attempt_at, reason: retry.reason } : null,
    })),
    skipped: skippedOutputs(job),
    outputs: outputsOf(job).map((o, i) => ({ kind: o.kind, label: o.label, url: urls[i], content_type: o.object.content_type, bytes: o.object.bytes })),
    created_at: job.createdAt.toISOString(),
    updated_at: job.updatedAt.toISOString(),
    completed_at: job.completedAt?.toISOString() ?? null,
    cancelled_at: job.cancelledAt?.toISOString() ?? null,
  };
}

export function toJobSummary(job: JobRecord): JobSummary {
  return {
    job_id: job.id,
    status: job.status,
    error: errorView(job.error),
    labels: job.labels,
    attempt: job.attempt,
    source: { filename: job.originalFilename, bytes: job.source.bytes, content_type: job.source.content_type },
    created_at: job.createdAt.toISOString(),
    updated_at: job.updatedAt.toISOString(),
    completed_at: job.completedAt?.toISOString() ?? null,
    cancelled_at: job.cancelledAt?.toISOString() ?? null,
  };
}
