import type { TranscodeFlowClient } from '@tf/client';
import { Command, Option } from 'commander';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Job, JobListQuery, UploadRequest } from '../api';
import { ClientFactory, ConnectionOptions, apiCommand, clientOf, defaultClientFactory } from '../connection';
import { ExitCode, usageError } from '../exit-codes';
import type { TerminalIo } from '../io';
import { resolveJobId } from '../job-ref';
import { formatJob, formatJobPage } from '../output/job-format';
import { printable } from '../output/printable';
import { JobProgressView, UploadProgressView } from '../output/progress';

// submit, status, watch, list, cancel, retry: the gateway's job API through @tf/client, as any client
// would. A job is named by its id or by its start (the 8 characters the progress bar shows).

interface SummaryOptions extends ConnectionOptions {
  urls?: boolean;
}

const positiveInt =
  (name: string) =>
  (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw usageError(`${name} must be a positive integer, got "${raw}"`);
    return n;
  };

const jobEnded = (job: Job): ExitCode => (job.status === 'completed' ? ExitCode.OK : ExitCode.JOB_FAILED);

/** A command that ends with a job's summary: --urls adds its outputs' signed URLs. */
const summaryCommand = (name: string): Command =>
  apiCommand(name).option('--urls', "also print each output's signed URL");

/** Follows the job to its end and returns the final job; shows `progress` on stderr, prints `events` as JSON lines on stdout, or is `quiet`. */
async function follow(
  client: TranscodeFlowClient,
  jobId: string,
  io: TerminalIo,
  mode: 'progress' | 'events' | 'quiet',
): Promise<Job> {
  const view = mode === 'progress' ? new JobProgressView(io, jobId) : undefined;
  let events = 0;
  try {
    const job = await client.waitForJob(jobId, (event) => {
      events += 1;
      if (mode === 'events') io.out(JSON.stringify(event));
      view?.onEvent(event);
    });
    // Already over before a stream opened: its state is the one event there is.
    if (mode === 'events' && events === 0) io.out(JSON.stringify({ event: 'state', data: job }));
    return job;
  } finally {
    view?.stop();
  }
}

function reportEnd(job: Job, io: TerminalIo, opts: SummaryOptions): ExitCode {
  if (opts.json) io.out(JSON.stringify(job));
  else if (job.status === 'completed') for (const line of formatJob(job, { urls: opts.urls })) io.out(line);
  else
    io.err(
      `tflow: job ${job.job_id} ${job.status}${job.error ? `: ${job.error.code}: ${printable(job.error.message)}` : ''}`,
    );
  return jobEnded(job);
}

/** Each action resolves once done; its exit code goes to `setExitCode`; errors are thrown and mapped by the runner (exit-codes.ts). */
export function jobCommands(
  io: TerminalIo,
  setExitCode: (code: ExitCode) => void,
  factory: ClientFactory = defaultClientFactory,
): Command[] {
  const submit = summaryCommand('submit')
    .description('upload a video and follow its job to the end (upload and job progress on stderr)')
    .argument('<file>', 'video file')
    .option('-r, --resolutions <labels>', 'comma-separated ladder labels, e.g. 360p,720p (default 360p,720p)')
    .option('--no-hls', 'do not package HLS')
    .option('--no-transcription', 'do not transcribe speech')
    .option('--webhook-url <url>', 'http(s) URL notified when the job ends')
    .addOption(new Option('--priority <priority>', 'queue priority').choices(['high', 'normal', 'low']))
    .option('--language <code>', 'spoken language (ISO 639-1); default: detect')
    .option('--no-wait', 'print the job id and return once the upload is accepted')
    .action(
      async (
        file: string,
        opts: SummaryOptions & {
          resolutions?: string;
          hls: boolean;
          transcription: boolean;
          webhookUrl?: string;
          priority?: UploadRequest['priority'];
          language?: string;
          wait: boolean;
        },
      ) => {
        let size: number;
        try {
          const stat = statSync(file);
          if (!stat.isFile()) throw new Error('not a file');
          size = stat.size;
        } catch {
          throw usageError(`${file}: no such file`);
        }
        const client = clientOf(opts, factory);
        const upload: UploadRequest = {
          targetResolutions: opts.resolutions
            ?.split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          enableHls: opts.hls,
          enableTranscription: opts.transcription,
          webhookUrl: opts.webhookUrl,
          priority: opts.priority,
          language: opts.language,
        };
        const progress = opts.json ? undefined : new UploadProgressView(io, printable(basename(file)));
        if (!opts.json) io.err(`uploading ${printable(file)} (${size} bytes)…`);
        let accepted: Awaited<ReturnType<TranscodeFlowClient['uploadFile']>>;
        try {
          accepted = await client.uploadFile(
            file,
            upload,
            progress && ((sent, total) => progress.onProgress(sent, total)),
          );
        } finally {
          progress?.stop();
        }
        if (!opts.wait) {
          io.out(opts.json ? JSON.stringify(accepted) : accepted.job_id);
          return;
        }
        if (!opts.json) io.err(`job ${accepted.job_id} ${accepted.status}`);
        const job = await follow(client, accepted.job_id, io, opts.json ? 'quiet' : 'progress');
        setExitCode(reportEnd(job, io, opts));
      },
    );

  const status = summaryCommand('status')
    .description('show a job: status, stages, outputs (exit 0 whatever its status)')
    .argument('<job-id>', 'the job id, or its start (as the progress bar shows it)')
    .action(async (ref: string, opts: SummaryOptions) => {
      const client = clientOf(opts, factory);
      const job = await client.getJob(await resolveJobId(client, ref));
      if (opts.json) io.out(JSON.stringify(job));
      else for (const line of formatJob(job, { urls: opts.urls })) io.out(line);
    });

  const watch = summaryCommand('watch')
    .description('follow a job until it ends (exit 1 if it failed or was cancelled); --json: its events as JSON lines')
    .argument('<job-id>', 'the job id, or its start')
    .action(async (ref: string, opts: SummaryOptions) => {
      const client = clientOf(opts, factory);
      const job = await follow(client, await resolveJobId(client, ref), io, opts.json ? 'events' : 'progress');
      if (opts.json) setExitCode(jobEnded(job));
      else setExitCode(reportEnd(job, io, opts));
    });

  const list = apiCommand('list')
    .description('list your jobs, newest first')
    .addOption(
      new Option('--status <status>', 'only jobs in this status').choices([
        'queued',
        'processing',
        'completed',
        'failed',
        'cancelled',
      ]),
    )
    .option('--limit <n>', 'page size', positiveInt('--limit'))
    .option('--cursor <cursor>', 'the next_cursor of a previous page')
    .option('--label <label>', 'only jobs carrying this label')
    .option('--since <iso>', 'created at or after (ISO 8601)')
    .option('--until <iso>', 'created before (ISO 8601)')
    .option('--all', 'follow next_cursor to the last page')
    .action(
      async (
        opts: ConnectionOptions & {
          status?: JobListQuery['status'];
          limit?: number;
          cursor?: string;
          label?: string;
          since?: string;
          until?: string;
          all?: boolean;
        },
      ) => {
        const client = clientOf(opts, factory);
        const query: JobListQuery = {
          status: opts.status,
          limit: opts.limit,
          cursor: opts.cursor,
          label: opts.label,
          createdAfter: opts.since,
          createdBefore: opts.until,
        };
        let page = await client.listJobs(query);
        if (opts.all) {
          const jobs = [...page.jobs];
          while (page.next_cursor) {
            page = await client.listJobs({ ...query, cursor: page.next_cursor });
            jobs.push(...page.jobs);
          }
          page = { jobs, next_cursor: null };
        }
        if (opts.json) io.out(JSON.stringify(page));
        else {
          for (const line of formatJobPage(page)) io.out(line);
          if (page.next_cursor) io.err(`more: tflow list --cursor ${page.next_cursor}`);
        }
      },
    );

  const cancel = apiCommand('cancel')
    .description('cancel a queued or processing job')
    .argument('<job-id>', 'the job id, or its start')
    .option('--reason <text>', 'why (kept with the job)')
    .action(async (ref: string, opts: ConnectionOptions & { reason?: string }) => {
      const client = clientOf(opts, factory);
      const result = await client.cancelJob(await resolveJobId(client, ref), opts.reason);
      io.out(opts.json ? JSON.stringify(result) : `job ${result.job_id} cancelled at ${result.cancelled_at}`);
    });

  const retry = apiCommand('retry')
    .description('restart a failed job from the stage(s) that failed')
    .argument('<job-id>', 'the job id, or its start')
    .action(async (ref: string, opts: ConnectionOptions) => {
      const client = clientOf(opts, factory);
      const result = await client.retryJob(await resolveJobId(client, ref));
      io.out(
        opts.json
          ? JSON.stringify(result)
          : `job ${result.job_id} ${result.status} (attempt ${result.attempt}, from ${result.restarted_stages.join(', ')})`,
      );
    });

  return [submit, status, watch, list, cancel, retry];
}
