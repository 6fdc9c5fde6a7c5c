import { MAX_OUTPUT_FPS } from './ladder-rungs';

/** Fallback when ffprobe could not tell the rate (some live-stream dumps). */
const DEFAULT_FPS = 30;

/**
 * The frame rate renditions are encoded at: the source's, halved while above
 * MAX_OUTPUT_FPS (120 -> 60, 240 -> 60), so motion stays even (every other
 * frame) instead of a judder from 120 -> 60 by drop-and-repeat.
 */
export function outputFrameRate(sourceFps: number): number {
  let fps = sourceFps > 0 && Number.isFinite(sourceFps) ? sourceFps : DEFAULT_FPS;
  while (fps > MAX_OUTPUT_FPS) fps /= 2;
  return fps;
}

/** True when the encoder must be fed a resampled frame rate. */
export function needsFrameRateCap(sourceFps: number): boolean {
  return sourceFps > MAX_OUTPUT_FPS;
}
