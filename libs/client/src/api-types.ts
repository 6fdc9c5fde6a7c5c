import type { components, operations } from './generated/openapi';

// The API's shapes come from the gateway's OpenAPI document (generated/openapi.ts, `npm run
// gen:api-client`); the names below are the client's short names for them.
type Schemas = components['schemas'];

/** The job as GET /api/v1/jobs/:id shows it. */
export type JobView = Schemas['JobViewDto'];
export type JobOutputView = Schemas['OutputViewDto'];
/** One job of GET /api/v1/jobs (no timeline, media or output URLs: GET /api/v1/jobs/:id has those). */
export type JobSummary = Schemas['JobSummaryDto'];
/** GET /api/v1/jobs: newest first; pass `next_cursor` as `cursor` for the next page (null on the last). */
export type JobPage = Schemas['JobListDto'];
/** POST /api/v1/jobs/upload */
export type UploadAccepted = Schemas['UploadAcceptedDto'];
/** POST /api/v1/jobs/:id/cancel */
export type CancelResult = Schemas['CancelResultDto'];
/** POST /api/v1/jobs/:id/retry */
export type RetryResult = Schemas['RetryResultDto'];
/** Every 4xx/5xx answer. */
export type ApiErrorBody = Schemas['ApiErrorDto'];

type ListJobsQuery = NonNullable<operations['Jobs_list']['parameters']['query']>;

export interface ListJobsOptions {
  status?: ListJobsQuery['status'];
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

/** An answer of POST /graphql. */
export interface GraphqlResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: {
    message: string;
    path?: (string | number)[];
    extensions?: { code?: string; status?: number; [k: string]: unknown };
  }[];
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

/**
 * A 4xx/5xx answer of the API, with its machine-readable code, the request's id (quote it to the operator) and,
 * when the answer said when to come back (429, 503), its Retry-After in seconds.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = 'ApiError';
  }
}
