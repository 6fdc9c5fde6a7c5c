import { join } from 'node:path';
import { THUMBNAIL_POSITIONS } from './thumbnail-selection';

/**
 * File names the transcoder writes into its output directory. Deterministic,
 * so a retried job overwrites its own partial output and storage keys can be
 * derived from them (`<prefix>/<file name>`).
 */
export const AUDIO_FILE_NAME = 'audio.mp3';
export const THUMBNAIL_PATTERN = 'thumb-%d.jpg';

export function renditionFileName(label: string): string {
  return `${label}.mp4`;
}

/** N starts at 1, in time order. */
export function thumbnailFileName(n: number): string {
  return `thumb-${n}.jpg`;
}

export interface TranscodeOutputs {
  renditions: { label: string; path: string }[];
  /** null when the source has no audio. */
  audio: string | null;
  thumbnails: string[];
}

export function transcodeOutputs(
  outDir: string,
  labels: readonly string[],
  hasAudio: boolean,
  thumbnailCount = THUMBNAIL_POSITIONS.length,
): TranscodeOutputs {
  return {
    renditions: labels.map((label) => ({ label, path: join(outDir, renditionFileName(label)) })),
    audio: hasAudio ? join(outDir, AUDIO_FILE_NAME) : null,
    thumbnails: Array.from({ length: thumbnailCount }, (_, i) => join(outDir, thumbnailFileName(i + 1))),
  };
}
