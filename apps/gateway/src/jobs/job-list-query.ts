import { ApiError } from '../http/api-error';
import { isRealDateTime, readIsoTimestamp } from '../http/iso-timestamp';
import { JOB_STATUSES, JobStatus } from './job-record';
import { parseLabel } from './job-labels';

export const DEFAULT_LIST_LIMIT = 20;
export const MAX_LIST_LIMIT = 100;

/** Where a page starts: strictly after this (created_at, id) in the list order (newest first). */
export interface ListCursor {
  /** created_at as Postgres prints it in UTC, to the microsecond (a JS Date would lose precision). */
  createdAt: string;
  id: string;
}

/** GET /api/v1/jobs, validated. */
export interface JobListQuery {
  status: JobStatus | null;
  /** created_at >= createdAfter (inclusive). */
  createdAfter: Date | null;
  /** created_at < createdBefore (exclusive). */
  createdBefore: Date | null;
  /** The job carries every one of these labels. */
  labels: string[];
  limit: number;
  cursor: ListCursor | null;
}

type RawQuery = Record<string, unknown>;

const bad = (code: string, message: string): ApiError => ApiError.badRequest(code, message);

/** A query parameter given once; repeated ones (`?a=1&a=2`) count as the last for single-valued fields. */
const single = (value: unknown): string | undefined => {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

/** An ISO 8601 date or date-time; a date-time without an offset is UTC. 400 INVALID_TIMESTAMP otherwise. */
export function parseIsoTimestamp(name: string, raw: string): Date {
  const date = readIsoTimestamp(raw);
  if (date === 'shape') throw bad('INVALID_TIMESTAMP', `${name} must be an ISO 8601 timestamp such as 2025-01-31T12:00:00Z, got ${JSON.stringify(raw)}`);
  if (date === 'unreal') throw bad('INVALID_TIMESTAMP', `${name} is not a real date and time: ${JSON.stringify(raw)}`);
  return date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PG_UTC_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/;

/** created_at as encodeCursor wrote it: the shape, and a real instant (a month 13 would fail in Postgres, as a 500). */
function isCursorTimestamp(value: unknown): value is string {
  const m = typeof value === 'string' ? PG_UTC_TIMESTAMP.exec(value) : null;
  return m !== null && isRealDateTime(...(m.slice(1, 7).map(Number) as [number, number, number, number, number, number]));
}

/** The opaque `next_cursor`: base64url of the last row's (created_at, id). */
export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

export function decodeCursor(raw: string): ListCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && isCursorTimestamp(value[0]) && typeof value[1] === 'string' && UUID.test(value[1])) {
      return { createdAt: String(value[0]), id: String(value[1]) };
    }
  } catch {
    // falls through to the error below
  }
  throw bad('INVALID_CURSOR', 'cursor is not a next_cursor this API returned');
}

/** Validates the list's query string (Express' parsed `req.query`). Unknown parameters are ignored. */
export function parseJobListQuery(query: RawQuery): JobListQuery {
  const status = single(query.status)?.toLowerCase();
  if (status !== undefined && !(JOB_STATUSES as readonly string[]).includes(status)) {
    throw bad('INVALID_STATUS', `status must be one of ${JOB_STATUSES.join(', ')}`);
  }
  const after = single(query.created_after);
  const before = single(query.created_before);
  const createdAfter = after === undefined ? null : parseIsoTimestamp('created_after', after);
  const createdBefore = before === undefined ? null : parseIsoTimestamp('created_before', before);
  if (createdAfter && createdBefore && createdAfter >= createdBefore) throw bad('INVALID_RANGE', 'created_after must be before created_before');

  const rawLabels = query.label === undefined ? [] : Array.isArray(query.label) ? query.label : [query.label];
  const labels = [...new Set(rawLabels.flatMap((l) => String(l).split(',')).filter((l) => l.trim() !== '').map(parseLabel))];

  const rawLimit = single(query.limit);
  const limit = rawLimit === undefined ? DEFAULT_LIST_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT || !/^\d+$/.test(rawLimit ?? '1')) {
    throw bad('INVALID_LIMIT', `limit must be an integer from 1 to ${MAX_LIST_LIMIT}`);
  }
  const rawCursor = single(query.cursor);
  return { status: (status as JobStatus | undefined) ?? null, createdAfter, createdBefore, labels, limit, cursor: rawCursor ? decodeCursor(rawCursor) : null };
}
