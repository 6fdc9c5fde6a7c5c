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
/** Far below a frame's duration, far above the rounding of a time to microseconds. */
const TIME_TOLERANCE_S = 0.001;

export function keyframeOptions(fps: number, startS = 0, extra?: ExtraKeyframes): string[] {
  const gop = String(Math.max(1, Math.round(KEYFRAME_INTERVAL_S * fps)));
  // The first grid instant at or after the start, in the chunk's own time: 0 <= phase < interval.
  const phase = (KEYFRAME_INTERVAL_S - (startS % KEYFRAME_INTERVAL_S)) % KEYFRAME_INTERVAL_S;
  const phaseText = Number(phase.toFixed(6));
  // A chunk's clock is the job's minus its start (microseconds): a grid instant there may come out a rounding
  // error after its frame's time; compared 1 ms early, that frame (and never the one before) is forced.
  const phaseEarly = Number((phase - TIME_TOLERANCE_S).toFixed(6));
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
    extra && extra.atS.length > 0
      ? keyframeTimeList(phase, fps, extra)
      : phaseText === 0
        ? `expr:gte(t,n_forced*${KEYFRAME_INTERVAL_S})`
        : `expr:gte(t,${phaseEarly}+n_forced*${KEYFRAME_INTERVAL_S})`,
  ];
}

/**
 * IDR frames an encode needs besides the grid (a split transcode's joins off the grid), in the encode's own
 * clock, and how long the encode is (the grid's times are then listed up to it).
 */
export interface ExtraKeyframes {
  atS: readonly number[];
  durationS: number;
}

/**
 * The grid's times and the extra ones as a `-force_key_frames` time list (ffmpeg forces the first frame at or
 * after each). ffmpeg takes one entry per frame, so a time less than a frame after the one before it is left
 * out: the frame forced for the earlier time is the one the later time would force (or the next one, which
 * would be a second IDR frame in a row).
 */
function keyframeTimeList(phase: number, fps: number, extra: ExtraKeyframes): string {
  const times = [...extra.atS];
  for (let t = phase; t <= extra.durationS; t += KEYFRAME_INTERVAL_S) times.push(t);
  const kept: number[] = [];
  for (const t of times.sort((a, b) => a - b))
    if (kept.length === 0 || t - kept[kept.length - 1] >= 1 / fps) kept.push(t);
  return kept.map((t) => Number(Math.max(0, t - TIME_TOLERANCE_S).toFixed(6))).join(',');
}
