/**
 * Where the ffmpeg and ffprobe executables are. Reads the same environment
 * variables as fluent-ffmpeg (FFMPEG_PATH, FFPROBE_PATH) so that one setting
 * moves both our direct spawns and fluent-ffmpeg's; otherwise relies on PATH.
 */
export function ffmpegBinary(): string {
  return process.env.FFMPEG_PATH || 'ffmpeg';
}

export function ffprobeBinary(): string {
  return process.env.FFPROBE_PATH || 'ffprobe';
}

/** util-linux `prlimit`, which runs ffmpeg/ffprobe under memory and CPU-time limits (PRLIMIT_PATH overrides). */
export function prlimitBinary(): string {
  return process.env.PRLIMIT_PATH || 'prlimit';
}

/** coreutils `nice`, which starts ffmpeg/ffprobe at the budget's lower priority (NICE_PATH overrides). */
export function niceBinary(): string {
  return process.env.NICE_PATH || 'nice';
}
