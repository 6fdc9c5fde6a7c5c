/** Where a command prints: `out` is the answer (stdout), `err` the commentary (stderr). One line per call. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The io of commands that show progress. */
export interface TerminalIo extends CliIo {
  /** stderr is a terminal: draw progress bars rather than one line per step. */
  interactive: boolean;
  /** The stream progress bars draw on. */
  progressStream: NodeJS.WritableStream;
}

/**
 * `tflow status … | head`: once the reader of stdout (or stderr) is gone, the next write fails with
 * EPIPE; like any Unix filter, tflow then stops at once and quietly (exit 0) instead of dying with a
 * stack trace. Any other write error still surfaces.
 */
export function stopQuietlyOnBrokenPipe(stream: NodeJS.EventEmitter, exit: (code: number) => void): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    exit(0);
  });
}
