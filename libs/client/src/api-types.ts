/** The job as GET /api/v1/jobs/:id shows it. */
export interface JobView {
  job_id: string;
  status: 'queued' | 'processing' | 'completed' | 'failed' | 'cancelled';
  error: { code: string; message: string } | null;
  outputs: JobOutputView[];
  [field: string]: unknown;
}

export interface JobOutputView {
  kind: 'rendition' | 'hls' | 'audio' | 'thumbnail' | 'transcript';
  label: string;
  url: string;
  content_type: string;
  bytes: number;
}

/** One job of GET /api/v1/jobs (no timeline, media or output URLs: GET /api/v1/jobs/:id has those). */
export interface JobSummary {
  job_id: string;
  status: JobView['status'];
  error: { code: string; message: string } | null;
  source: { filename: string; bytes: number; content_type: string };
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  [field: string]: unknown;
}

/** GET /api/v1/jobs: newest first; pass `next_cursor` as `cursor` for the next page (null on the last). */
export interface JobPage {
  jobs: JobSummary[];
  next_cursor: string | null;
}

export interface ListJobsOptions {
  status?: JobView['status'];
  /** Page size (the server caps it). */
  limit?: number;
  cursor?: string;
  /** ISO 8601, inclusive. */
  createdAfter?: string;
  /** ISO 8601, exclusive. */
  createdBefore?: string;
  /** Jobs carrying this label. */
  label?: string;
}

/** POST /api/v1/jobs/:id/cancel */
export interface CancelResult {
  job_id: string;
  status: 'cancelled';
  cancelled_at: string;
}

/** POST /api/v1/jobs/:id/retry */
export interface RetryResult {
  job_id: string;
  status: 'processing';
  attempt: number;
  restarted_stages: string[];
}

/** An answer of POST /graphql. */
export interface GraphqlResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; status?: number; [k: string]: unknown } }[];
}

export interface UploadOptions {
  targetResolutions?: string[];
  enableHls?: boolean;
  enableTranscription?: boolean;
  webhookUrl?: string;
  priority?: 'high' | 'normal' | 'low';
  language?: string;
}

export interface JobStreamEvent {
  event: string;
  data: Record<string, unknown>;
}

export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

/** A 4xx/5xx answer of the API, with its machine-readable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = 'ApiError';
  }
}
