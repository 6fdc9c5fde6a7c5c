export interface GlobalOptions {
  /** ffmpeg -loglevel. "error" keeps stderr to what explains a failure. */
  logLevel?: 'quiet' | 'error' | 'warning' | 'info';
  /** Write machine-readable progress to stdout (read by runFfmpeg) instead of the stats line. */
  progress?: boolean;
}

/** Options every ffmpeg run of ours starts with. */
export function globalOptions({ logLevel = 'error', progress = true }: GlobalOptions = {}): string[] {
  return [
    '-hide_banner',
    // Never read stdin: ffmpeg would otherwise treat stray input as keyboard commands ("q" quits).
    '-nostdin',
    '-y',
    '-loglevel',
    logLevel,
    ...(progress ? ['-progress', 'pipe:1', '-nostats'] : []),
  ];
}

/** Drops container/stream metadata (titles, GPS, encoder tags) and chapters from the output. */
export function stripMetadataOptions(): string[] {
  return ['-map_metadata', '-1', '-map_chapters', '-1'];
}
