import { MAX_OUTPUT_FPS } from '../ladder/ladder-rungs';
import type { MediaInfo } from '../media-info';

/** How far a frame may sit off its source's frame grid: the tolerance chunkOutpoint finds a join's key frame with. */
const FRAME_GRID_TOLERANCE_S = 1e-3;

/** Why a long source keeps the single pass. */
export type SplitRefusal = 'unknown_frame_rate' | 'frame_rate_above_cap' | 'variable_frame_rate';

/** What the key-frame scan saw of the source's frame times (keyframe-scan.ts). */
export interface FrameGridFacts {
  /** Video packets whose presentation time is off the grid of 1/fps from the first packet's. */
  offGridFrames: number;
}

/** Whether `t` lies on the grid of 1/fps from `originS`, within FRAME_GRID_TOLERANCE_S. */
export function onFrameGrid(t: number, originS: number, fps: number): boolean {
  const frames = (t - originS) * fps;
  return Math.abs(frames - Math.round(frames)) / fps <= FRAME_GRID_TOLERANCE_S;
}

/**
 * Whether a source may be split, null if so: a chunk's renditions are written at a constant frame rate
 * on a grid that starts at the chunk's first frame, so the join (a source key frame) and every frame of
 * the source must sit on that grid. A variable-frame-rate source (phone videos) is not: the join's forced
 * key frame lands next to it (chunkOutpoint finds none there) or the concat repeats frames. Above
 * MAX_OUTPUT_FPS an `fps` filter per chunk picks frames on its own grid from the chunk's start, which is
 * not the single pass's either. Both keep the single pass, which is correct for any source.
 */
export function splitRefusal(media: Pick<MediaInfo, 'fps'>, frames: FrameGridFacts): SplitRefusal | null {
  if (!Number.isFinite(media.fps) || media.fps <= 0) return 'unknown_frame_rate';
  if (media.fps > MAX_OUTPUT_FPS) return 'frame_rate_above_cap';
  return frames.offGridFrames > 0 ? 'variable_frame_rate' : null;
}
