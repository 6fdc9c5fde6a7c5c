import { ENDED, Job, JobEvent, JobOutput, JobPage } from '../api';
import { printable } from './printable';

// Human output of the API commands. --json prints the API's JSON instead. What a user chose (file
// names, labels, messages) goes through `printable`.

interface Stage {
  stage: string;
  status: string;
  progress: number | null;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

const stageText = (s: Stage): string => {
  if (s.status === 'running' && s.progress !== null) return `${s.stage} running ${s.progress}%`;
  // Its input is there; it waits at its service (a slot, a higher lane, a busy partition).
  if (s.status === 'queued') return `${s.stage} queued`;
  // Its input is not reported yet: the next stage the job goes to.
  if (s.status === 'pending') return `${s.stage}…`;
  return `${s.stage} ${s.status}`;
};

const timelineOf = (job: Job): Stage[] => (Array.isArray(job.timeline) ? (job.timeline as Stage[]) : []);

export interface JobFormat {
  /** Each output's presigned URL too (long: a few lines each on a terminal). */
  urls?: boolean;
}

/** The outputs as a small table: kind, label, size (and URL on request); a total below. */
function outputLines(outputs: JobOutput[], format: JobFormat): string[] {
  if (!outputs.length) return [];
  const rows = outputs.map((o) => [
    printable(o.kind),
    printable(o.label),
    formatBytes(o.bytes),
    ...(format.urls ? [o.url] : []),
  ]);
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const sizeWidth = Math.max(...rows.map((r) => r[2].length));
  const lines = rows.map((r, i) =>
    `${i === 0 ? 'outputs ' : '        '} ${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padStart(sizeWidth)}${format.urls ? `  ${r[3]}` : ''}`.trimEnd(),
  );
  const total = formatBytes(outputs.reduce((sum, o) => sum + o.bytes, 0));
  lines.push(`         ${outputs.length} output(s), ${total}${format.urls ? '' : '; --urls shows their URLs'}`);
  return lines;
}

/** `status <id>` and the end of `submit`/`watch`: a few aligned lines. */
export function formatJob(job: Job, format: JobFormat = {}): string[] {
  const source = (job.source ?? {}) as {
    filename?: string;
    bytes?: number;
    content_type?: string;
    media?: { width: number; height: number; duration_s: number } | null;
  };
  const lines = [`job      ${job.job_id}`, `status   ${job.status}`];
  const labels = Array.isArray(job.labels) ? (job.labels as string[]) : [];
  if (labels.length) lines.push(`labels   ${labels.map(printable).join(', ')}`);
  if (source.filename !== undefined) {
    const media = source.media
      ? `, ${source.media.width}x${source.media.height}, ${source.media.duration_s.toFixed(1)} s`
      : '';
    lines.push(
      `file     ${printable(source.filename)} (${formatBytes(source.bytes ?? NaN)}, ${printable(String(source.content_type))}${media})`,
    );
  }
  lines.push(`created  ${job.created_at}`);
  if (job.completed_at) lines.push(`finished ${job.completed_at}`);
  const timeline = timelineOf(job);
  if (timeline.length) lines.push(`stages   ${timeline.map(stageText).join(' · ')}`);
  if (job.error) lines.push(`error    ${job.error.code}: ${printable(job.error.message)}`);
  const skipped = Array.isArray(job.skipped) ? (job.skipped as { label: string; reason: string }[]) : [];
  if (skipped.length)
    lines.push(`skipped  ${skipped.map((s) => `${printable(s.label)} (${printable(s.reason)})`).join(', ')}`);
  lines.push(...outputLines(job.outputs, format));
  return lines;
}

/** `list`: one line per job, newest first. */
export function formatJobPage(page: JobPage): string[] {
  if (page.jobs.length === 0) return ['no jobs'];
  const rows = page.jobs.map((j) => [
    j.job_id,
    j.status,
    j.created_at,
    formatBytes(j.source?.bytes ?? NaN),
    printable(j.source?.filename ?? ''),
  ]);
  const header = ['JOB', 'STATUS', 'CREATED', 'SIZE', 'FILE'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ');
  return [line(header), ...rows.map(line)];
}

/**
 * Follows a job's stream: the stages as the API lists them, updated by `progress` / `stage`
 * events. `percent` is the gateway's `overall_progress` (weighted by the stages' expected cost, the
 * number GET and GraphQL show), never going back; from a gateway without it, the mean over the stages.
 */
export class JobProgressModel {
  private readonly stages = new Map<string, Stage>();
  private overall: number | null = null;
  status = 'queued';
  current: string | null = null;

  apply(event: JobEvent): { stageChanged: boolean } {
    const data = event.data as Record<string, unknown>;
    const job = (event.event === 'state' ? data : data.job) as Job | undefined;
    const overall = typeof data.overall_progress === 'number' ? data.overall_progress : job?.overall_progress;
    if (typeof overall === 'number') this.overall = Math.max(this.overall ?? 0, overall);
    if (event.event === 'state' || data.job) {
      if (!job) return { stageChanged: false };
      this.stages.clear();
      for (const s of timelineOf(job)) this.stages.set(s.stage, { ...s });
      this.status = job.status;
      const before = this.current;
      this.current = [...this.stages.values()].find((s) => s.status === 'running')?.stage ?? this.current;
      return { stageChanged: before !== this.current };
    }
    if (typeof data.status === 'string') this.status = data.status;
    const name = typeof data.stage === 'string' ? data.stage : null;
    if (!name) return { stageChanged: false };
    const stage = this.stages.get(name) ?? { stage: name, status: 'pending', progress: null };
    const previous = stage.status;
    if (typeof data.stage_status === 'string') stage.status = data.stage_status;
    if (typeof data.percent === 'number') stage.progress = data.percent;
    this.stages.set(name, stage);
    const before = this.current;
    if (stage.status === 'running') this.current = name;
    return { stageChanged: previous !== stage.status || before !== this.current };
  }

  get percent(): number {
    if (this.overall !== null) return this.status === 'completed' ? 100 : Math.floor(this.overall);
    const all = [...this.stages.values()];
    if (!all.length) return 0;
    const done = (s: Stage) =>
      ['completed', 'skipped', 'failed', 'cancelled'].includes(s.status)
        ? 100
        : s.status === 'running'
          ? (s.progress ?? 0)
          : 0;
    return Math.round(all.reduce((sum, s) => sum + done(s), 0) / all.length);
  }

  /** The stage the job is at: the first running one, else the first queued or pending, else the job's status. */
  get stageLine(): string {
    const all = [...this.stages.values()];
    const s =
      all.find((x) => x.status === 'running') ??
      (ENDED.has(this.status) ? undefined : all.find((x) => x.status === 'queued' || x.status === 'pending'));
    return s ? stageText(s) : this.status;
  }
}
