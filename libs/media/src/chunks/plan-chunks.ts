/** One time range of a split transcode, in seconds from the source's start; `end_s` null: to the end. */
export interface ChunkRange {
  index: number;
  start_s: number;
  end_s: number | null;
}

import { KEYFRAME_INTERVAL_S } from '../ffmpeg/keyframe-options';

/** A key frame on the job's keyframe grid (within a microsecond): a cut there adds no IDR frame the single pass lacks. */
const onGrid = (t: number): boolean => {
  const phase = t % KEYFRAME_INTERVAL_S;
  return Math.min(phase, KEYFRAME_INTERVAL_S - phase) < 1e-6;
};

/**
 * Cuts a source into chunks of about `targetS` seconds at its own key frames, so that every chunk's
 * first frame decodes without the frames before it (a seek lands on it exactly) and no frame belongs
 * to two chunks. Each cut is the key frame nearest the ideal position (the previous cut + target), at
 * least half a target after the previous cut; the last chunk runs to the end and is never shorter than
 * half a target (a shorter tail joins the chunk before). A key frame on the job's 2 s grid within a quarter
 * of a target of the ideal position is preferred: the chunk then starts on an IDR frame the single pass
 * has too, so the assembled file's key frames are the single pass's. A source without usable key frames
 * (or too short to cut) is one chunk.
 */
export function planChunks(keyframesS: readonly number[], durationS: number, targetS: number): ChunkRange[] {
  if (!(targetS > 0)) throw new Error(`chunk target must be positive, got ${targetS}`);
  const cuts = [...new Set(keyframesS)].filter((t) => Number.isFinite(t) && t > 0).sort((a, b) => a - b);
  const starts = [0];
  for (;;) {
    const previous = starts[starts.length - 1];
    const ideal = previous + targetS;
    const candidates = cuts.filter((t) => t >= previous + targetS / 2 && t <= durationS - targetS / 2);
    if (candidates.length === 0 || durationS - previous < targetS * 1.5) break;
    const nearest = (among: number[]) =>
      among.reduce((best, t) => (Math.abs(t - ideal) < Math.abs(best - ideal) ? t : best));
    const onGridNear = candidates.filter((t) => onGrid(t) && Math.abs(t - ideal) <= targetS / 4);
    starts.push(nearest(onGridNear.length > 0 ? onGridNear : candidates));
  }
  return starts.map((start_s, index) => ({ index, start_s, end_s: starts[index + 1] ?? null }));
}
