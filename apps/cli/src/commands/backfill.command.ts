import { Command } from 'commander';
import type { BackfillResult } from '../api';
import { ClientFactory, ConnectionOptions, apiCommand, clientOf, defaultClientFactory } from '../connection';
import type { CliIo } from '../io';

function describeBackfill(r: BackfillResult): string[] {
  const range = `created in [${r.from}, ${r.to})${r.tenant ? ` of tenant ${r.tenant}` : ''}`;
  if (r.dry_run) return [`${r.matched} failed job(s) ${range} would be retried (dry run)`, ...r.job_ids];
  return [
    `retried ${r.retried} of ${r.matched} failed job(s) ${range}`,
    ...r.skipped.map((s) => `skipped ${s.job_id}: ${s.code} ${s.message}`),
  ];
}

/**
 * `tflow jobs backfill --from <iso> --to <iso> [--tenant T] [--dry-run] [--json]` (also `tflow backfill`):
 * POST /api/v1/admin/jobs/backfill with an admin key: retries every failed job created in the range
 * through the same retry as POST /api/v1/jobs/:id/retry. A tenant admin's key reaches its own tenant;
 * a platform admin's any tenant, or all of them without --tenant.
 */
export function jobsCommand(io: CliIo, factory: ClientFactory = defaultClientFactory): Command {
  const jobs = new Command('jobs').description('operate on many jobs (the admin API)');

  const backfill = apiCommand('backfill')
    .description('retry every failed job created in [from, to), from the stage(s) that failed')
    .requiredOption('--from <iso>', 'ISO 8601 timestamp, inclusive (e.g. 2025-01-31T00:00:00Z)')
    .requiredOption('--to <iso>', 'ISO 8601 timestamp, exclusive')
    .option('--tenant <tenant>', 'only this tenant')
    .option('--dry-run', 'only list the jobs that would be retried')
    .action(async (opts: ConnectionOptions & { from: string; to: string; tenant?: string; dryRun?: boolean }) => {
      const result = await clientOf(opts, factory).backfillJobs({
        from: opts.from,
        to: opts.to,
        tenant: opts.tenant,
        dry_run: opts.dryRun === true,
      });
      if (opts.json) io.out(JSON.stringify(result));
      else describeBackfill(result).forEach((line) => io.out(line));
    });

  return jobs.addCommand(backfill);
}
