/**
 * Decides which ffmpeg progress updates become JobProgress events: the first one, then at most one
 * per `intervalMs`, and always the final 100 % (exactly once). Percentages never go backwards.
 */
export class ProgressThrottle {
  private lastEmittedAt?: number;
  private lastPercent = -1;
  private finished = false;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A reading already published for this run (the stage's `started` 0 %): only readings above it follow. */
  published(percent: number): void {
    this.lastPercent = Math.max(this.lastPercent, percent);
  }

  /** The percent to publish (rounded to 0.1), or undefined to drop this update. */
  offer(percent: number): number | undefined {
    if (this.finished) return undefined;
    const rounded = Math.min(100, Math.max(0, Math.round(percent * 10) / 10));
    if (rounded <= this.lastPercent) return undefined;
    const at = this.now();
    const due = this.lastEmittedAt === undefined || at - this.lastEmittedAt >= this.intervalMs;
    if (rounded < 100 && !due) return undefined;
    this.finished = rounded >= 100;
    this.lastEmittedAt = at;
    this.lastPercent = rounded;
    return rounded;
  }
}
