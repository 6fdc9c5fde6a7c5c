import { RENDITION_CRF, VBV_BUFFER_FACTOR } from '../ladder/ladder-rungs';
import { levelIdcToString } from '../ladder/h264-level';
import type { PlannedRendition } from '../ladder/plan-ladder';
import { type ExtraKeyframes, keyframeOptions } from './keyframe-options';

/**
 * H.264 encoder options for one rendition: High profile at the planned level,
 * constant quality capped by the ladder bit rate (capped CRF), fixed GOP (on the job's grid from `startS`).
 */
export function x264Options(
  rendition: PlannedRendition,
  fps: number,
  startS = 0,
  extraKeyframes?: ExtraKeyframes,
): string[] {
  return [
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-profile:v',
    'high',
    '-level:v',
    levelIdcToString(rendition.h264_level),
    '-pix_fmt',
    'yuv420p',
    '-crf',
    String(RENDITION_CRF),
    '-maxrate',
    String(rendition.video_bitrate),
    '-bufsize',
    String(rendition.video_bitrate * VBV_BUFFER_FACTOR),
    ...keyframeOptions(fps, startS, extraKeyframes),
  ];
}
