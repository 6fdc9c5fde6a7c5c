/**
 * Parses what `ffmpeg -progress <url>` writes: blocks of key=value lines, each
 * block closed by `progress=continue` or, once, `progress=end`.
 */
export interface FfmpegProgress {
  /** Frames written so far. */
  frame?: number;
  /** Output position in microseconds. */
  outTimeUs?: number;
  /** Encoding speed relative to real time (2 = twice as fast as playback). */
  speed?: number;
  /** Bytes written so far. */
  totalSize?: number;
  /** True on the final block (progress=end). */
  done: boolean;
  /** Every key of the block as ffmpeg wrote it. */
  fields: Record<string, string>;
}

/** Accepts stdout chunks as they come (lines may be split across chunks) and returns completed blocks. */
export class ProgressStreamParser {
  private pending = '';
  private fields: Record<string, string> = {};

  push(chunk: string | Buffer): FfmpegProgress[] {
    this.pending += chunk.toString();
    const lines = this.pending.split(/\r?\n/);
    this.pending = lines.pop() ?? '';
    const blocks: FfmpegProgress[] = [];
    for (const line of lines) {
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq).trim();
      this.fields[key] = line.slice(eq + 1).trim();
      if (key === 'progress') {
        blocks.push(progressFromFields(this.fields));
        this.fields = {};
      }
    }
    return blocks;
  }
}

/** Parses a whole -progress text at once (tests, logs). */
export function parseProgressText(text: string): FfmpegProgress[] {
  return new ProgressStreamParser().push(text.endsWith('\n') ? text : `${text}\n`);
}

export function progressFromFields(fields: Record<string, string>): FfmpegProgress {
  return {
    frame: nonNegative(fields.frame),
    outTimeUs: outTimeMicros(fields),
    speed: nonNegative(fields.speed?.replace(/x$/, '')),
    totalSize: nonNegative(fields.total_size),
    done: fields.progress === 'end',
    fields: { ...fields },
  };
}

/**
 * Percent of the expected duration that has been written, 0..100, or
 * undefined while ffmpeg does not know its position yet. The final block is
 * always 100, even when the output came out a little shorter than probed.
 */
export function progressPercent(progress: FfmpegProgress, durationS: number): number | undefined {
  if (progress.done) return 100;
  if (progress.outTimeUs === undefined || !(durationS > 0)) return undefined;
  const percent = (progress.outTimeUs / (durationS * 1e6)) * 100;
  return Math.min(100, Math.max(0, percent));
}

/**
 * out_time_us is the position in microseconds. out_time_ms is *also* in
 * microseconds (a misnomer ffmpeg keeps for compatibility), and out_time is
 * HH:MM:SS.micro. All read "N/A" or a huge negative number before the first
 * frame is out.
 */
function outTimeMicros(fields: Record<string, string>): number | undefined {
  const us = nonNegative(fields.out_time_us) ?? nonNegative(fields.out_time_ms);
  if (us !== undefined) return us;
  const clock = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(fields.out_time ?? '');
  if (!clock) return undefined;
  return Math.round((Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3])) * 1e6);
}

function nonNegative(value: string | undefined): number | undefined {
  if (value === undefined || value === '' || value === 'N/A') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
