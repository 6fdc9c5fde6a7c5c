/**
 * Every rendition gets an IDR frame every KEYFRAME_INTERVAL_S seconds, at the
 * same instants across renditions, so HLS segments (a multiple of this) line
 * up and a player can switch variant at any segment boundary.
 */
export const KEYFRAME_INTERVAL_S = 2;

export function keyframeOptions(fps: number): string[] {
  const gop = String(Math.max(1, Math.round(KEYFRAME_INTERVAL_S * fps)));
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
    `expr:gte(t,n_forced*${KEYFRAME_INTERVAL_S})`,
  ];
}
