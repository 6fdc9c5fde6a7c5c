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
