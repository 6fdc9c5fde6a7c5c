import { Logger } from '@nestjs/common';
import { Command } from 'commander';
import { parseBackfillRequest } from '../control/backfill-request';
import { BackfillResultDto as BackfillResult } from '../control/dto/job-control.dto';
import { JobControlService } from '../control/job-control.service';
import { ApiError } from '../http/api-error';
import type { CliIo } from './keys.commands';

/** Opens the gateway database (and its outbox) for the length of one command. */
export type WithJobControl = <T>(fn: (control: JobControlService) => Promise<T>) => Promise<T>;

/** The message of an ApiError (validation of the options), as the CLI prints it. */
const plain = <T>(fn: () => T): T => {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ApiError) throw new Error(`${e.code}: ${(e.getResponse() as { message: string }).message}`);
    throw e;
  }
};

export function describeBackfill(r: BackfillResult): string[] {
  const range = `created in [${r.from}, ${r.to})${r.tenant ? ` of tenant ${r.tenant}` : ''}`;
  if (r.dry_run) return [`${r.matched} failed job(s) ${range} would be retried (dry run)`, ...r.job_ids];
  return [`retried ${r.retried} of ${r.matched} failed job(s) ${range}`, ...r.skipped.map((s) => `skipped ${s.job_id}: ${s.code} ${s.message}`)];
}

/**
 * `tflow jobs backfill --from <iso> --to <iso> [--tenant T] [--dry-run] [--json]`: retries every failed
 * job created in the range through the same service as POST /api/v1/jobs/:id/retry. The events go to
 * the gateway's outbox; a running gateway's relay publishes them.
 */
export function jobsCommand(withControl: WithJobControl, io: CliIo): Command {
  const jobs = new Command('jobs').description('operate on jobs (gateway.jobs)');

  jobs
    .command('backfill')
    .description('retry every failed job created in [from, to), from the stage(s) that failed')
    .requiredOption('--from <iso>', 'ISO 8601 timestamp, inclusive (e.g. 2025-01-31T00:00:00Z)')
    .requiredOption('--to <iso>', 'ISO 8601 timestamp, exclusive')
    .option('--tenant <tenant>', 'only this tenant')
    .option('--dry-run', 'only list the jobs that would be retried')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { from: string; to: string; tenant?: string; dryRun?: boolean; json?: boolean }) => {
      // The service's per-job log lines would mix into stdout; the summary below says it all.
      Logger.overrideLogger(false);
      const request = plain(() => parseBackfillRequest({ from: opts.from, to: opts.to, tenant: opts.tenant, dry_run: opts.dryRun === true }));
      const result = await withControl((control) => control.backfill(request));
      if (opts.json) io.out(JSON.stringify(result));
      else describeBackfill(result).forEach((line) => io.out(line));
    });

  return jobs;
}
