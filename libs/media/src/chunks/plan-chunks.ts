/** One time range of a split transcode, in seconds from the source's start; `end_s` null: to the end. */
export interface ChunkRange {
  index: number;
  start_s: number;
  end_s: number | null;
}

/**
 * Cuts a source into chunks of about `targetS` seconds at its own key frames, so that every chunk's
 * first frame decodes without the frames before it (a seek lands on it exactly) and no frame belongs
 * to two chunks. Each cut is the key frame nearest the ideal position (the previous cut + target), at
 * least half a target after the previous cut; the last chunk runs to the end and is never shorter than
 * half a target (a shorter tail joins the chunk before). A source without usable key frames (or too
 * short to cut) is one chunk.
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
    starts.push(candidates.reduce((best, t) => (Math.abs(t - ideal) < Math.abs(best - ideal) ? t : best)));
  }
  return starts.map((start_s, index) => ({ index, start_s, end_s: starts[index + 1] ?? null }));
}
