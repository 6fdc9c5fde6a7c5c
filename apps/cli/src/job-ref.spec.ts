import type { TranscodeFlowClient } from '@tf/client';
import { CliError, ExitCode } from './exit-codes';
import { SHORT_ID_SEARCH, resolveJobId } from './job-ref';

type ListJobs = TranscodeFlowClient['listJobs'];

/** GET /api/v1/jobs faked at the client: `ids` newest first, in pages as the API cuts them. */
function jobsApi(ids: string[]) {
  const calls: Parameters<ListJobs>[0][] = [];
  const listJobs = (async (query = {}) => {
    calls.push(query);
    const start = query.cursor ? Number(query.cursor) : 0;
    const end = start + (query.limit ?? 20);
    const jobs = ids.slice(start, end).map((job_id) => ({
      job_id,
      status: 'completed',
      error: null,
      source: { filename: 'a.mp4', bytes: 1, content_type: 'video/mp4' },
      created_at: 't',
      updated_at: 't',
      completed_at: null,
    }));
    return { jobs, next_cursor: end < ids.length ? String(end) : null };
  }) as ListJobs;
  return { client: { listJobs }, calls };
}

const id = (n: number, head = 'aaaaaaaa') => `${head}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as CliError,
  );

describe('short job ids', () => {
  it('passes a full id (or anything that is not the start of one) to the API as it is, without a lookup', async () => {
    const { client, calls } = jobsApi([]);
    expect(await resolveJobId(client, id(1))).toBe(id(1));
    expect(await resolveJobId(client, 'not-an-id')).toBe('not-an-id');
    expect(await resolveJobId(client, 'abc')).toBe('abc');
    expect(calls).toEqual([]);
  });

  it("finds the job whose id starts with the progress bar's 8 characters, on a later page too", async () => {
    const ids = Array.from({ length: 250 }, (_, i) =>
      id(i, i === 230 ? '3f2a9c01' : `0000${String(i).padStart(4, '0')}`),
    );
    const { client, calls } = jobsApi(ids);
    expect(await resolveJobId(client, '3f2a9c01')).toBe(ids[230]);
    expect(await resolveJobId(client, '3F2A9C01-0000')).toBe(ids[230]);
    expect(calls.slice(0, 3)).toEqual([
      { limit: 100, cursor: undefined },
      { limit: 100, cursor: '100' },
      { limit: 100, cursor: '200' },
    ]);
  });

  it('refuses an ambiguous start (usage, exit 2) and answers not found (exit 4) when no job matches', async () => {
    const { client } = jobsApi([id(1, 'bbbbbbbb'), id(2, 'bbbbbbbc'), id(3, 'cccccccc')]);
    const ambiguous = await failure(resolveJobId(client, 'bbbbbbb'));
    expect([ambiguous?.exitCode, ambiguous?.code]).toEqual([ExitCode.USAGE, 'AMBIGUOUS_JOB_ID']);
    expect(ambiguous?.message).toContain(id(1, 'bbbbbbbb'));
    const missing = await failure(resolveJobId(client, 'dddd'));
    expect([missing?.exitCode, missing?.code, missing?.message]).toEqual([
      ExitCode.NOT_FOUND,
      'JOB_NOT_FOUND',
      'no job among your jobs has an id starting with dddd',
    ]);
  });

  it('looks no further back than its search depth', async () => {
    const ids = Array.from({ length: SHORT_ID_SEARCH.maxJobs + 300 }, (_, i) =>
      id(i, `eeee${String(i).padStart(4, '0')}`),
    );
    const { client, calls } = jobsApi(ids);
    const missing = await failure(resolveJobId(client, 'ffff'));
    expect(missing?.message).toBe(
      `no job among your newest ${SHORT_ID_SEARCH.maxJobs} jobs has an id starting with ffff`,
    );
    expect(calls).toHaveLength(SHORT_ID_SEARCH.maxJobs / SHORT_ID_SEARCH.pageSize);
  });
});
