import { Presets, SingleBar } from 'cli-progress';
import { ENDED, JobEvent } from '../api';
import type { TerminalIo } from '../io';
import { JobProgressModel, formatBytes } from './job-format';

/** Without a terminal, an upload reports every this many percent. */
const UPLOAD_STEP_PERCENT = 25;

/** An upload's percentage: bytes sent of the file's size (the multipart framing makes the last step a little over: capped at 100). */
export function uploadPercent(sentBytes: number, totalBytes: number): number {
  if (totalBytes <= 0) return 100;
  return Math.min(100, Math.floor((sentBytes * 100) / totalBytes));
}

/** Shows an upload on stderr: a bar on a terminal, a line every UPLOAD_STEP_PERCENT otherwise. */
export class UploadProgressView {
  private bar?: SingleBar;
  private lastStep = 0;

  constructor(
    private readonly io: TerminalIo,
    private readonly name: string,
  ) {}

  onProgress(sentBytes: number, totalBytes: number): void {
    const percent = uploadPercent(sentBytes, totalBytes);
    const sent = formatBytes(Math.min(sentBytes, totalBytes));
    if (this.io.interactive) {
      if (!this.bar) {
        this.bar = new SingleBar(
          {
            format: `uploading [{bar}] {percentage}% | {sent} of {size}`,
            hideCursor: true,
            noTTYOutput: true,
            clearOnComplete: true,
            stream: this.io.progressStream,
          },
          Presets.shades_classic,
        );
        this.bar.start(100, percent, { sent, size: formatBytes(totalBytes) });
      } else this.bar.update(percent, { sent });
      return;
    }
    const step = Math.floor(percent / UPLOAD_STEP_PERCENT) * UPLOAD_STEP_PERCENT;
    if (step > this.lastStep) {
      this.lastStep = step;
      this.io.err(`uploading ${this.name}: ${step}% (${sent} of ${formatBytes(totalBytes)})`);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}

/** Shows a job's progress on stderr while it runs: a bar on a terminal, a line per stage change otherwise. */
export class JobProgressView {
  private readonly model = new JobProgressModel();
  private bar?: SingleBar;

  constructor(
    private readonly io: TerminalIo,
    private readonly jobId: string,
  ) {}

  onEvent(event: JobEvent): void {
    const { stageChanged } = this.model.apply(event);
    if (this.io.interactive) {
      if (!this.bar) {
        // The bar shows the id's first 8 characters: every job command accepts them (job-ref.ts).
        this.bar = new SingleBar(
          {
            format: `${this.jobId.slice(0, 8)} [{bar}] {percentage}% | {stage}`,
            hideCursor: true,
            clearOnComplete: true,
            stream: this.io.progressStream,
          },
          Presets.shades_classic,
        );
        this.bar.start(100, 0, { stage: this.model.stageLine });
      }
      this.bar.update(this.model.percent, { stage: this.model.stageLine });
    } else if (stageChanged && !ENDED.has(this.model.status)) {
      this.io.err(`${this.jobId} ${this.model.stageLine}`);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}
