import type { TranscodeFlowClient } from '@tf/client';
import { CliError, ExitCode } from './exit-codes';

const FULL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The start of a job id, as the progress bar shows it (its first 8 characters); at least 4. */
const SHORT_ID = /^[0-9a-f][0-9a-f-]{3,34}$/i;
/** How far back a short id is looked for: the newest jobs, a page (the API's largest) at a time. */
export const SHORT_ID_SEARCH = { pageSize: 100, maxJobs: 1000 };

/**
 * The job a command names: a full id as it is; the start of one (what the progress bar shows) is looked
 * up among the caller's newest jobs (GET /api/v1/jobs): the first page holding a match decides, and
 * more than one match in it is ambiguous. Anything else goes to the API as it is (which answers 404).
 */
export async function resolveJobId(client: Pick<TranscodeFlowClient, 'listJobs'>, ref: string): Promise<string> {
  if (FULL_ID.test(ref) || !SHORT_ID.test(ref)) return ref;
  const prefix = ref.toLowerCase();
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await client.listJobs({ limit: SHORT_ID_SEARCH.pageSize, cursor });
    const matches = page.jobs.map((j) => j.job_id).filter((id) => id.toLowerCase().startsWith(prefix));
    if (matches.length === 1) return matches[0];
    if (matches.length > 1)
      throw new CliError(
        ExitCode.USAGE,
        'AMBIGUOUS_JOB_ID',
        `${ref} is the start of ${matches.length} jobs (${matches.join(', ')}): give more of the id`,
      );
    seen += page.jobs.length;
    cursor = page.next_cursor ?? undefined;
  } while (cursor && seen < SHORT_ID_SEARCH.maxJobs);
  const where = cursor ? `among your newest ${seen} jobs` : 'among your jobs';
  throw new CliError(ExitCode.NOT_FOUND, 'JOB_NOT_FOUND', `no job ${where} has an id starting with ${ref}`);
}
