/** ffmpeg ended with a non-zero exit code or was killed by someone else. */
export class FfmpegExitError extends Error {
  override readonly name = 'FfmpegExitError';

  constructor(
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    /** The last lines ffmpeg wrote to stderr: usually the reason. */
    readonly stderrTail: string,
    readonly tool: 'ffmpeg' | 'ffprobe' = 'ffmpeg',
  ) {
    super(
      `${tool} ${exitCode !== null ? `exited with code ${exitCode}` : `was killed by ${signal}`}` +
        (stderrTail ? `: ${stderrTail}` : ' (no stderr output)'),
    );
  }
}

/** The caller's AbortSignal fired; ffmpeg was stopped. Named AbortError like the platform's own. */
export class FfmpegAbortedError extends Error {
  override readonly name = 'AbortError';

  constructor(readonly reason?: unknown) {
    super('ffmpeg was aborted');
  }
}
