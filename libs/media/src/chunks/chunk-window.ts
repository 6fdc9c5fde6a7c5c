import { KEYFRAME_INTERVAL_S } from '../ffmpeg/keyframe-options';
import type { ChunkRange } from './plan-chunks';

/**
 * Frames encoded before a chunk's range and dropped at the join. A fresh x264 encoder starts without
 * rate-control history, so its first frame (the join's, an IDR frame) came out ≈ 2.4 dB below the single
 * pass's; after 10 frames of pre-roll 0.2 dB, after 25 frames 0.04 dB (measured, apps/transcoder/README.md).
 */
export const CHUNK_PREROLL_FRAMES = 20;

/**
 * Frames encoded after a chunk's range and dropped at the join: x264's lookahead (rc-lookahead 10 at preset
 * veryfast) then sees past the range's last frames as the single pass does; without it the two frames before
 * a join came out ≈ 1.1 dB below the single pass's, with 10 frames 0.00 dB.
 */
export const CHUNK_POSTROLL_FRAMES = 12;

/** What one chunk's ffmpeg reads of the source, and what the assembly keeps of the file it writes. */
export interface ChunkEncodeWindow {
  /** Where the encode starts in the job's timeline (input seek; on the grid when pre-rolled). */
  fromS: number;
  /** Where the encode stops reading in the job's timeline, or null: to the source's end. */
  untilS: number | null;
  /** ffconcat `inpoint` in the chunk file's own clock (0 at fromS): a key frame; null: from its start. */
  keepFromS: number | null;
  /** ffconcat `outpoint` in the chunk file's own clock: a key frame; null: to its end. */
  keepUntilS: number | null;
  /** IDR frames to force besides the grid (joins off the grid), in the chunk file's own clock. */
  keyframesAtS: number[];
}

/** Pre-roll and post-roll of a chunk's encode, in seconds. */
export interface ChunkRoll {
  preS: number;
  postS: number;
}

/** The default roll at an output frame rate: CHUNK_PREROLL_FRAMES and CHUNK_POSTROLL_FRAMES. */
export const defaultChunkRoll = (fps: number): ChunkRoll => ({
  preS: round6(CHUNK_PREROLL_FRAMES / fps),
  postS: round6(CHUNK_POSTROLL_FRAMES / fps),
});

/** A time on the job's keyframe grid (within a microsecond): a forced IDR frame lands there in every encode. */
export const onKeyframeGrid = (t: number): boolean => {
  const phase = t % KEYFRAME_INTERVAL_S;
  return Math.min(phase, KEYFRAME_INTERVAL_S - phase) < 1e-6;
};

/**
 * The encode window of a chunk: its range plus a pre-roll before a join (not before the file's start) and a
 * post-roll after one (not past the source's end). A join is on the job's 2 s grid: a range that starts or
 * ends at a source key frame off the grid is joined at the next grid instant instead (`joinAt`), which the
 * single pass also has as an IDR frame, so the joined file's frame types stay the single pass's. The joins are
 * IDR frames of the chunk's file (closed GOPs), so the assembly's `-c copy` with ffconcat inpoint/outpoint cuts
 * exactly there and drops the rolls. Only where the next grid instant is past the source's end does a join stay
 * off the grid, as an IDR frame forced there (`keyframesAtS`).
 */
export function chunkEncodeWindow(range: ChunkRange, durationS: number, roll: ChunkRoll): ChunkEncodeWindow {
  for (const s of [roll.preS, roll.postS])
    if (!(s >= 0 && Number.isFinite(s))) throw new Error(`a chunk's roll is a time, got ${s}`);
  const start = range.index > 0 ? joinAt(range.start_s, durationS) : 0;
  const end = range.end_s === null ? null : joinAt(range.end_s, durationS);
  const preS = Math.min(roll.preS, start);
  const postS = end !== null && end + roll.postS < durationS ? roll.postS : 0;
  const fromS = round6(start - preS);
  const keepFromS = preS > 0 ? round6(start - fromS) : null;
  const keepUntilS = end !== null && postS > 0 ? round6(end - fromS) : null;
  return {
    fromS,
    untilS: end === null ? null : round6(end + postS),
    keepFromS,
    keepUntilS,
    keyframesAtS: [
      ...(keepFromS !== null && !onKeyframeGrid(start) ? [keepFromS] : []),
      ...(keepUntilS !== null && end !== null && !onKeyframeGrid(end) ? [keepUntilS] : []),
    ],
  };
}

/**
 * Where a chunk boundary planned at a source key frame `t` is joined: `t` on the grid, else the next grid
 * instant (both neighbouring chunks compute the same), unless that is within a GOP of the source's end.
 */
export function joinAt(t: number, durationS: number): number {
  if (onKeyframeGrid(t)) return t;
  const next = Math.ceil(t / KEYFRAME_INTERVAL_S) * KEYFRAME_INTERVAL_S;
  return next + KEYFRAME_INTERVAL_S < durationS ? next : t;
}

const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;
