import { ApiError } from '../http/api-error';
import { isRealDateTime, isoTimestamp } from '../http/iso-timestamp';
import type { JobListQueryDto } from './dto/job-list-query.dto';
import { JobStatus } from './job-record';

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

const bad = (code: string, message: string): ApiError => ApiError.badRequest(code, message);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PG_UTC_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/;

/** created_at as encodeCursor wrote it: the shape, and a real instant (a month 13 would fail in Postgres, as a 500). */
function isCursorTimestamp(value: unknown): value is string {
  const m = typeof value === 'string' ? PG_UTC_TIMESTAMP.exec(value) : null;
  return (
    m !== null && isRealDateTime(...(m.slice(1, 7).map(Number) as [number, number, number, number, number, number]))
  );
}

/** The opaque `next_cursor`: base64url of the last row's (created_at, id). */
export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

/** The (created_at, id) a next_cursor names; null when it is none this API returned. */
export function readCursor(raw: string): ListCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      isCursorTimestamp(value[0]) &&
      typeof value[1] === 'string' &&
      UUID.test(value[1])
    ) {
      return { createdAt: String(value[0]), id: String(value[1]) };
    }
  } catch {
    // not base64url JSON
  }
  return null;
}

export function decodeCursor(raw: string): ListCursor {
  const cursor = readCursor(raw);
  if (!cursor) throw bad('INVALID_CURSOR', 'cursor is not a next_cursor this API returned');
  return cursor;
}

/** The list a validated JobListQueryDto asks for. */
export function jobListQueryOf(query: JobListQueryDto): JobListQuery {
  return {
    status: query.status ?? null,
    createdAfter: query.created_after === undefined ? null : isoTimestamp(query.created_after),
    createdBefore: query.created_before === undefined ? null : isoTimestamp(query.created_before),
    labels: query.label ?? [],
    limit: query.limit ?? DEFAULT_LIST_LIMIT,
    cursor: query.cursor === undefined ? null : decodeCursor(query.cursor),
  };
}
