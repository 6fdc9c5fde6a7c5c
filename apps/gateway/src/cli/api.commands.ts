import { JobStreamEvent, JobView, TERMINAL_STATUSES, TranscodeFlowClient, UploadOptions } from '@tf/client';
import { Presets, SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import { localStackSecretsPath, readLocalStackSecrets } from '@tf/config';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, ExitCode, usageError } from './exit-codes';
import { JobProgressModel, formatJob, formatJobPage } from './job-format';
import type { CliIo } from './keys.commands';

// The API commands of tflow: they go through the gateway's HTTP API with @tf/client, as any client
// would (unlike `keys` and `backfill`, which work on the gateway's database).

export interface ApiCliIo extends CliIo {
  /** stderr is a terminal: draw a progress bar rather than one line per stage change. */
  interactive: boolean;
}

interface ConnectionOptions {
  apiUrl?: string;
  apiKey?: string;
  json?: boolean;
}

export type ClientFactory = (options: { baseUrl?: string; apiKey?: string }) => TranscodeFlowClient;

const defaultClientFactory: ClientFactory = (options) => new TranscodeFlowClient(options);

/** The gateway `npm run up` starts, the one --api-url defaults to. */
const LOCAL_API_URL = 'http://127.0.0.1:10080';

/**
 * The local stack's admin key (.stack/secrets.env, made by `npm run up`), only for the local gateway:
 * never sent to another --api-url.
 */
function localStackKey(apiUrl: string | undefined): string | undefined {
  if ((apiUrl ?? LOCAL_API_URL).replace(/\/+$/, '') !== LOCAL_API_URL) return undefined;
  return readLocalStackSecrets(localStackSecretsPath(join(__dirname, '../../../..'))).TF_BOOTSTRAP_API_KEY;
}

/** --api-url, --api-key and --json on every API command (not on the program: `keys create --json` keeps its own). */
function apiCommand(name: string): Command {
  return new Command(name)
    .addOption(new Option('--api-url <url>', 'gateway base URL').env('TF_API_URL').default(LOCAL_API_URL))
    .addOption(new Option('--api-key <key>', 'API key (default: $TF_API_KEY, then $TF_BOOTSTRAP_API_KEY, then for the local gateway the key `npm run up` made)'))
    .option('--json', 'print the API\'s JSON instead of text');
}

function clientOf(opts: ConnectionOptions, factory: ClientFactory): TranscodeFlowClient {
  const apiKey = opts.apiKey ?? process.env.TF_API_KEY ?? process.env.TF_BOOTSTRAP_API_KEY ?? localStackKey(opts.apiUrl);
  if (!apiKey) throw new CliError(ExitCode.AUTH, 'MISSING_API_KEY', 'no API key: pass --api-key or set TF_API_KEY (locally, `npm run up` makes one)');
  return factory({ baseUrl: opts.apiUrl, apiKey });
}

const positiveInt = (name: string) => (raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw usageError(`${name} must be a positive integer, got "${raw}"`);
  return n;
};

const jobEnded = (job: JobView): ExitCode => (job.status === 'completed' ? ExitCode.OK : ExitCode.JOB_FAILED);

/** Shows the job's progress on stderr while it runs: a bar on a terminal, a line per stage change otherwise. */
class ProgressView {
  private readonly model = new JobProgressModel();
  private bar?: SingleBar;

  constructor(
    private readonly io: ApiCliIo,
    private readonly jobId: string,
  ) {}

  onEvent(event: JobStreamEvent): void {
    const { stageChanged } = this.model.apply(event);
    if (this.io.interactive) {
      if (!this.bar) {
        this.bar = new SingleBar({ format: `${this.jobId.slice(0, 8)} [{bar}] {percentage}% | {stage}`, hideCursor: true, clearOnComplete: true, stream: process.stderr }, Presets.shades_classic);
        this.bar.start(100, 0, { stage: this.model.stageLine });
      }
      this.bar.update(this.model.percent, { stage: this.model.stageLine });
    } else if (stageChanged && !TERMINAL_STATUSES.has(this.model.status)) {
      this.io.err(`${this.jobId} ${this.model.stageLine}`);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}

/** Follows the job to its end and returns the final job; shows `progress` on stderr, prints `events` as JSON lines on stdout, or is `quiet`. */
async function follow(client: TranscodeFlowClient, jobId: string, io: ApiCliIo, mode: 'progress' | 'events' | 'quiet'): Promise<JobView> {
  const view = mode === 'progress' ? new ProgressView(io, jobId) : undefined;
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

function reportEnd(job: JobView, io: ApiCliIo, json: boolean, jsonResult: unknown): ExitCode {
  if (json) io.out(JSON.stringify(jsonResult));
  else if (job.status === 'completed') for (const line of formatJob(job)) io.out(line);
  else io.err(`tflow: job ${job.job_id} ${job.status}${job.error ? `: ${job.error.code}: ${job.error.message}` : ''}`);
  return jobEnded(job);
}

/**
 * submit, status, watch, list, cancel, retry. Each action resolves to its exit code; errors are
 * thrown and mapped by the runner (exit-codes.ts).
 */
export function apiCommands(io: ApiCliIo, setExitCode: (code: ExitCode) => void, factory: ClientFactory = defaultClientFactory): Command[] {
  const submit = apiCommand('submit')
    .description('upload a video and follow its job to the end (progress on stderr)')
    .argument('<file>', 'video file')
    .option('-r, --resolutions <labels>', 'comma-separated ladder labels, e.g. 360p,720p (default 360p,720p)')
    .option('--no-hls', 'do not package HLS')
    .option('--no-transcription', 'do not transcribe speech')
    .option('--webhook-url <url>', 'http(s) URL notified when the job ends')
    .addOption(new Option('--priority <priority>', 'queue priority').choices(['high', 'normal', 'low']))
    .option('--language <code>', 'spoken language (ISO 639-1); default: detect')
    .option('--no-wait', 'print the job id and return once the upload is accepted')
    .action(async (file: string, opts: ConnectionOptions & { resolutions?: string; hls: boolean; transcription: boolean; webhookUrl?: string; priority?: UploadOptions['priority']; language?: string; wait: boolean }) => {
      let size: number;
      try {
        const stat = statSync(file);
        if (!stat.isFile()) throw new Error('not a file');
        size = stat.size;
      } catch {
        throw usageError(`${file}: no such file`);
      }
      const client = clientOf(opts, factory);
      const upload: UploadOptions = {
        targetResolutions: opts.resolutions?.split(',').map((s) => s.trim()).filter(Boolean),
        enableHls: opts.hls,
        enableTranscription: opts.transcription,
        webhookUrl: opts.webhookUrl,
        priority: opts.priority,
        language: opts.language,
      };
      if (!opts.json) io.err(`uploading ${file} (${size} bytes)…`);
      const accepted = await client.uploadFile(file, upload);
      if (!opts.wait) {
        io.out(opts.json ? JSON.stringify(accepted) : accepted.job_id);
        return;
      }
      if (!opts.json) io.err(`job ${accepted.job_id} ${accepted.status}`);
      const job = await follow(client, accepted.job_id, io, opts.json ? 'quiet' : 'progress');
      setExitCode(reportEnd(job, io, !!opts.json, job));
    });

  const status = apiCommand('status')
    .description('show a job: status, stages, outputs (exit 0 whatever its status)')
    .argument('<job-id>')
    .action(async (id: string, opts: ConnectionOptions) => {
      const job = await clientOf(opts, factory).getJob(id);
      if (opts.json) io.out(JSON.stringify(job));
      else for (const line of formatJob(job)) io.out(line);
    });

  const watch = apiCommand('watch')
    .description('follow a job until it ends (exit 1 if it failed or was cancelled); --json: its events as JSON lines')
    .argument('<job-id>')
    .action(async (id: string, opts: ConnectionOptions) => {
      const client = clientOf(opts, factory);
      const job = await follow(client, id, io, opts.json ? 'events' : 'progress');
      if (opts.json) setExitCode(jobEnded(job));
      else setExitCode(reportEnd(job, io, false, job));
    });

  const list = apiCommand('list')
    .description('list your jobs, newest first')
    .addOption(new Option('--status <status>', 'only jobs in this status').choices(['queued', 'processing', 'completed', 'failed', 'cancelled']))
    .option('--limit <n>', 'page size', positiveInt('--limit'))
    .option('--cursor <cursor>', 'the next_cursor of a previous page')
    .option('--label <label>', 'only jobs carrying this label')
    .option('--since <iso>', 'created at or after (ISO 8601)')
    .option('--until <iso>', 'created before (ISO 8601)')
    .option('--all', 'follow next_cursor to the last page')
    .action(async (opts: ConnectionOptions & { status?: JobView['status']; limit?: number; cursor?: string; label?: string; since?: string; until?: string; all?: boolean }) => {
      const client = clientOf(opts, factory);
      const query = { status: opts.status, limit: opts.limit, cursor: opts.cursor, label: opts.label, createdAfter: opts.since, createdBefore: opts.until };
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
    });

  const cancel = apiCommand('cancel')
    .description('cancel a queued or processing job')
    .argument('<job-id>')
    .option('--reason <text>', 'why (kept with the job)')
    .action(async (id: string, opts: ConnectionOptions & { reason?: string }) => {
      const result = await clientOf(opts, factory).cancelJob(id, opts.reason);
      io.out(opts.json ? JSON.stringify(result) : `job ${result.job_id} cancelled at ${result.cancelled_at}`);
    });

  const retry = apiCommand('retry')
    .description('restart a failed job from the stage(s) that failed')
    .argument('<job-id>')
    .action(async (id: string, opts: ConnectionOptions) => {
      const result = await clientOf(opts, factory).retryJob(id);
      io.out(opts.json ? JSON.stringify(result) : `job ${result.job_id} ${result.status} (attempt ${result.attempt}, from ${result.restarted_stages.join(', ')})`);
    });

  return [submit, status, watch, list, cancel, retry];
}
