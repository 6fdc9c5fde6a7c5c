/** Bit rate of the standalone MP3 (podcast-style download). */
export const MP3_BITRATE = 192_000;

/** AAC-LC stereo for MP4 renditions. 48 kHz because AAC at 48 kHz is what every HLS player expects. */
export function aacOptions(bitrate: number): string[] {
  return ['-c:a', 'aac', '-b:a', String(bitrate), '-ac', '2', '-ar', '48000'];
}

/**
 * Constant bit rate MP3, stereo. Resampled to 44.1 kHz because MPEG-1 Layer III
 * tops out at 48 kHz and some sources (studio recordings) are 96 kHz.
 */
export function mp3Options(bitrate = MP3_BITRATE): string[] {
  return ['-c:a', 'libmp3lame', '-b:a', String(bitrate), '-ac', '2', '-ar', '44100'];
}
