/**
 * Every rendition gets an IDR frame every KEYFRAME_INTERVAL_S seconds, at the
 * same instants across renditions, so HLS segments (a multiple of this) line
 * up and a player can switch variant at any segment boundary.
 */
export const KEYFRAME_INTERVAL_S = 2;

/**
 * `startS`: where this encode starts in the job's timeline (a chunk of a split transcode). Its keyframes
 * are forced at the job's grid (t + startS = 0, 2, 4 ... s), not at its own t = 0, 2, 4; its first frame is
 * an IDR frame anyway (a fresh encoder).
 */
export function keyframeOptions(fps: number, startS = 0): string[] {
  const gop = String(Math.max(1, Math.round(KEYFRAME_INTERVAL_S * fps)));
  // The first grid instant at or after the start, in the chunk's own time: 0 <= phase < interval.
  const phase = (KEYFRAME_INTERVAL_S - (startS % KEYFRAME_INTERVAL_S)) % KEYFRAME_INTERVAL_S;
  const phaseText = Number(phase.toFixed(6));
  return [
    '-g',
    gop,
    '-keyint_min',
    gop,
    // No extra keyframes on scene cuts: they would shift the GOP grid.
    '-sc_threshold',
    '0',
    // Time-based as well as frame-count based, so 29.97 fps or variable frame rate sources stay on the grid.
    '-force_key_frames',
    phaseText === 0
      ? `expr:gte(t,n_forced*${KEYFRAME_INTERVAL_S})`
      : `expr:gte(t,${phaseText}+n_forced*${KEYFRAME_INTERVAL_S})`,
  ];
}
