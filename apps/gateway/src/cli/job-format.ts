import type { JobPage, JobStreamEvent, JobView } from '@tf/client';

// Human output of the API commands. --json prints the API's JSON instead.

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

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

const stageText = (s: Stage): string => {
  if (s.status === 'running' && s.progress !== null) return `${s.stage} running ${s.progress}%`;
  // Its input is not reported yet: the next stage the job goes to.
  if (s.status === 'pending') return `${s.stage}…`;
  return `${s.stage} ${s.status}`;
};

const timelineOf = (job: JobView): Stage[] => (Array.isArray(job.timeline) ? (job.timeline as Stage[]) : []);

/** `status <id>`: a few aligned lines. */
export function formatJob(job: JobView): string[] {
  const source = (job.source ?? {}) as { filename?: string; bytes?: number; content_type?: string; media?: { width: number; height: number; duration_s: number } | null };
  const lines = [`job      ${job.job_id}`, `status   ${job.status}`];
  if (source.filename !== undefined) {
    const media = source.media ? `, ${source.media.width}x${source.media.height}, ${source.media.duration_s.toFixed(1)} s` : '';
    lines.push(`file     ${source.filename} (${formatBytes(source.bytes ?? NaN)}, ${source.content_type}${media})`);
  }
  lines.push(`created  ${job.created_at}`);
  if (job.completed_at) lines.push(`finished ${job.completed_at}`);
  const timeline = timelineOf(job);
  if (timeline.length) lines.push(`stages   ${timeline.map(stageText).join(' · ')}`);
  if (job.error) lines.push(`error    ${job.error.code}: ${job.error.message}`);
  const skipped = Array.isArray(job.skipped) ? (job.skipped as { label: string; reason: string }[]) : [];
  if (skipped.length) lines.push(`skipped  ${skipped.map((s) => `${s.label} (${s.reason})`).join(', ')}`);
  job.outputs.forEach((o, i) => lines.push(`${i === 0 ? 'outputs ' : '        '} ${o.kind.padEnd(10)} ${o.label.padEnd(8)} ${formatBytes(o.bytes).padStart(10)}  ${o.url}`));
  return lines;
}

/** `list`: one line per job, newest first. */
export function formatJobPage(page: JobPage): string[] {
  if (page.jobs.length === 0) return ['no jobs'];
  const rows = page.jobs.map((j) => [j.job_id, j.status, j.created_at, formatBytes(j.source?.bytes ?? NaN), j.source?.filename ?? '']);
  const header = ['JOB', 'STATUS', 'CREATED', 'SIZE', 'FILE'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ');
  return [line(header), ...rows.map(line)];
}

/**
 * Follows a job's stream: the stages as the API lists them, updated by `progress` / `stage`
 * events. `percent` is the mean over the stages (finished or skipped ones count 100).
 */
export class JobProgressModel {
  private readonly stages = new Map<string, Stage>();
  status = 'queued';
  current: string | null = null;

  apply(event: JobStreamEvent): { stageChanged: boolean } {
    const data = event.data as Record<string, unknown>;
    if (event.event === 'state' || data.job) {
      const job = (event.event === 'state' ? data : data.job) as unknown as JobView;
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
    const all = [...this.stages.values()];
    if (!all.length) return 0;
    const done = (s: Stage) => (['completed', 'skipped', 'failed', 'cancelled'].includes(s.status) ? 100 : s.status === 'running' ? (s.progress ?? 0) : 0);
    return Math.round(all.reduce((sum, s) => sum + done(s), 0) / all.length);
  }

  /** The stage the job is at: the first running one, else the first still pending, else the job's status. */
  get stageLine(): string {
    const all = [...this.stages.values()];
    const s = all.find((x) => x.status === 'running') ?? (TERMINAL.has(this.status) ? undefined : all.find((x) => x.status === 'pending'));
    return s ? stageText(s) : this.status;
  }
}
