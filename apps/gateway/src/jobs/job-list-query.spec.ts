import { ApiError } from '../http/api-error';
import { validateAs } from '../http/api-validation.pipe';
import { isoTimestamp } from '../http/iso-timestamp';
import { JobListQueryDto } from './dto/job-list-query.dto';
import { parseLabels } from './job-labels';
import { JobListQuery, decodeCursor, encodeCursor, jobListQueryOf } from './job-list-query';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).code;
  }
  throw new Error('expected an ApiError');
};

/** The query string through the API validation pipe (JobListQueryDto), then read as the list's query. */
const parseJobListQuery = async (query: Record<string, unknown>): Promise<JobListQuery> =>
  jobListQueryOf(await validateAs(JobListQueryDto, query));
const queryCodeOf = async (query: Record<string, unknown>): Promise<string> => {
  try {
    await parseJobListQuery(query);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).code;
  }
  throw new Error('expected an ApiError');
};

describe('JobListQueryDto (GET /api/v1/jobs, GraphQL jobs)', () => {
  it('defaults: no filter, 20 per page, from the newest; unknown parameters ignored', async () => {
    expect(await parseJobListQuery({ sort: 'x' })).toEqual({
      status: null,
      createdAfter: null,
      createdBefore: null,
      labels: [],
      limit: 20,
      cursor: null,
    });
    expect(await parseJobListQuery({})).toEqual({
      status: null,
      createdAfter: null,
      createdBefore: null,
      labels: [],
      limit: 20,
      cursor: null,
    });
  });

  it('takes every filter', async () => {
    const cursor = encodeCursor({
      createdAt: '2025-01-31T10:00:00.123456Z',
      id: '6f1c2c8e-8d0b-4b7e-9a57-3f2d5a1c9e10',
    });
    expect(
      await parseJobListQuery({
        status: 'Failed',
        created_after: '2025-01-01',
        created_before: '2025-02-01T00:00:00+01:00',
        label: ['a', 'b,c', 'a'],
        limit: '100',
        cursor,
      }),
    ).toEqual({
      status: 'failed',
      createdAfter: new Date('2025-01-01T00:00:00Z'),
      createdBefore: new Date('2025-01-31T23:00:00Z'),
      labels: ['a', 'b', 'c'],
      limit: 100,
      cursor: { createdAt: '2025-01-31T10:00:00.123456Z', id: '6f1c2c8e-8d0b-4b7e-9a57-3f2d5a1c9e10' },
    });
  });

  it('takes 29 February in leap years only', async () => {
    expect(isoTimestamp('2024-02-29')).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(isoTimestamp('2000-02-29T23:59:59.999+02:00')).toEqual(new Date('2000-02-29T21:59:59.999Z'));
    expect((await parseJobListQuery({ created_after: '2024-02-29' })).createdAfter).toEqual(
      new Date('2024-02-29T00:00:00Z'),
    );
    expect(await queryCodeOf({ created_after: '1900-02-29' })).toBe('INVALID_TIMESTAMP');
  });

  it('reads a date-time without an offset as UTC', async () => {
    expect(isoTimestamp('2025-01-31T12:30')).toEqual(new Date('2025-01-31T12:30:00Z'));
    expect((await parseJobListQuery({ created_before: '2025-01-31T12:30' })).createdBefore).toEqual(
      new Date('2025-01-31T12:30:00Z'),
    );
  });

  it('takes the last of a repeated single-valued parameter', async () => {
    expect(await parseJobListQuery({ limit: ['5', '7'], status: ['queued', 'Failed'] })).toMatchObject({
      limit: 7,
      status: 'failed',
    });
  });

  it.each([
    [{ status: 'done' }, 'INVALID_STATUS'],
    [{ created_after: 'yesterday' }, 'INVALID_TIMESTAMP'],
    [{ created_before: '2025-13-45' }, 'INVALID_TIMESTAMP'],
    [{ created_after: '2025-02-01', created_before: '2025-01-01' }, 'INVALID_RANGE'],
    [{ limit: '0' }, 'INVALID_LIMIT'],
    [{ limit: '101' }, 'INVALID_LIMIT'],
    [{ limit: '2.5' }, 'INVALID_LIMIT'],
    [{ limit: 'ten' }, 'INVALID_LIMIT'],
    [{ cursor: 'not-a-cursor' }, 'INVALID_CURSOR'],
    [{ cursor: Buffer.from('["2025-01-01", "x"]').toString('base64url') }, 'INVALID_CURSOR'],
    // Well-formed, impossible: Postgres would refuse them (a 500 before).
    [
      {
        cursor: Buffer.from('["2025-13-01T00:00:00.000000Z","6f1c2c8e-8d0b-4b7e-9a57-3f2d5a1c9e10"]').toString(
          'base64url',
        ),
      },
      'INVALID_CURSOR',
    ],
    [
      {
        cursor: Buffer.from('["2025-02-29T10:00:00.000000Z","6f1c2c8e-8d0b-4b7e-9a57-3f2d5a1c9e10"]').toString(
          'base64url',
        ),
      },
      'INVALID_CURSOR',
    ],
    [
      {
        cursor: Buffer.from('["2025-01-31T24:00:00.000000Z","6f1c2c8e-8d0b-4b7e-9a57-3f2d5a1c9e10"]').toString(
          'base64url',
        ),
      },
      'INVALID_CURSOR',
    ],
    [
      {
        cursor: Buffer.from('["0000-01-01T00:00:00.000000Z","6f1c2c8e-8d0b-4b7e-9a57-3f2d5a1c9e10"]').toString(
          'base64url',
        ),
      },
      'INVALID_CURSOR',
    ],
    [{ cursor: Buffer.from('["2025-01-31T10:00:00.000000Z",42]').toString('base64url') }, 'INVALID_CURSOR'],
    // Dates are values: Date would roll 30 February over to 2 March.
    [{ created_after: '2025-02-30' }, 'INVALID_TIMESTAMP'],
    [{ created_after: '2025-00-10' }, 'INVALID_TIMESTAMP'],
    [{ created_before: '2025-01-01T25:00:00Z' }, 'INVALID_TIMESTAMP'],
    [{ created_before: '2025-01-01T10:60' }, 'INVALID_TIMESTAMP'],
    [{ created_before: '2025-01-01T10:00:00+99:00' }, 'INVALID_TIMESTAMP'],
    [{ created_before: '0000-01-01' }, 'INVALID_TIMESTAMP'],
    [{ label: 'has space' }, 'INVALID_LABEL'],
    [{ label: ['ok', 'not ok'] }, 'INVALID_LABEL'],
  ])('%p → %s', async (query, code) => {
    expect(await queryCodeOf(query)).toBe(code);
  });

  it('round-trips a cursor, which stays opaque', () => {
    const c = { createdAt: '2025-01-31T10:00:00.000001Z', id: '6f1c2c8e-8d0b-4b7e-9a57-3f2d5a1c9e10' };
    expect(encodeCursor(c)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(codeOf(() => decodeCursor('not-a-cursor'))).toBe('INVALID_CURSOR');
  });
});

describe('parseLabels (upload field)', () => {
  it('splits, trims, drops blanks and duplicates, keeps order and case', () => {
    expect(parseLabels(' Campaign-7, ep:01 ,,Campaign-7,b.c_d ')).toEqual(['Campaign-7', 'ep:01', 'b.c_d']);
    expect(parseLabels(undefined)).toEqual([]);
    expect(parseLabels('  ')).toEqual([]);
  });

  it('refuses odd characters, over-long labels and too many of them', () => {
    expect(codeOf(() => parseLabels('a b'))).toBe('INVALID_LABEL');
    expect(codeOf(() => parseLabels('-leading'))).toBe('INVALID_LABEL');
    expect(codeOf(() => parseLabels('x'.repeat(65)))).toBe('INVALID_LABEL');
    expect(codeOf(() => parseLabels(Array.from({ length: 21 }, (_, i) => `l${i}`).join(',')))).toBe('INVALID_LABEL');
  });
});
