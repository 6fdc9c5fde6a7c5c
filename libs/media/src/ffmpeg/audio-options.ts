import { join } from 'node:path';
import { stripMetadataOptions } from './global-options';
import { AUDIO_FILE_NAME } from './output-layout';

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
function mp3Options(bitrate = MP3_BITRATE): string[] {
  return ['-c:a', 'libmp3lame', '-b:a', String(bitrate), '-ac', '2', '-ar', '44100'];
}

/** The downloadable MP3 output of an ffmpeg run: `outDir/audio.mp3` from the input's first audio track, no picture. */
export function mp3OutputArgs(outDir: string): string[] {
  return [
    '-map',
    '0:a:0',
    '-vn',
    ...mp3Options(),
    ...stripMetadataOptions(),
    '-f',
    'mp3',
    join(outDir, AUDIO_FILE_NAME),
  ];
}
