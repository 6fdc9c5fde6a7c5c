import type { MediaInfo } from '../media-info';
import { renditionCodecs } from './codecs-string';
import { h264LevelFor } from './h264-level';
import { outputFrameRate } from './output-frame-rate';
import { type LadderRung, RENDITION_AUDIO_BITRATE, VBV_BUFFER_FACTOR, rungByLabel } from './ladder-rungs';
import { parseResolutions } from './parse-resolutions';

/** One MP4 to encode. Field names follow the Avro record Rendition (minus where it is stored). */
export interface PlannedRendition {
  label: string;
  /** Output size, after rotation: what a player shows. */
  width: number;
  height: number;
  /** -maxrate, bits/s. */
  video_bitrate: number;
  /** AAC bit rate, bits/s; 0 when the source has no audio. */
  audio_bitrate: number;
  /** RFC 6381 codecs, e.g. "avc1.64001f,mp4a.40.2". */
  codecs: string;
  /** H.264 level_idc handed to x264, e.g. 31 (the LL of avc1.6400LL). */
  h264_level: number;
}

export type SkipReason = 'UPSCALE_NOT_ALLOWED';

export interface SkippedRendition {
  label: string;
  reason: SkipReason;
}

export interface LadderPlan {
  renditions: PlannedRendition[];
  skipped: SkippedRendition[];
}

/**
 * Chooses the renditions to encode for a source.
 *
 * Rules:
 * - A label is the output's short side ("720p": 1280x720 landscape, 720x1280
 *   portrait), measured on the picture as displayed, i.e. after rotation.
 * - No upscaling: a rung whose short side exceeds the source's is skipped
 *   with UPSCALE_NOT_ALLOWED (a 640x360 source asked for 360p,720p gets 360p).
 * - The source aspect ratio is kept; the long side is rounded to an even
 *   number, as 4:2:0 chroma needs.
 * Unknown labels throw UnknownResolutionError. The result may have no
 * renditions at all when everything asked for is above the source.
 */
export function planLadder(requestedLabels: string | readonly string[], media: MediaInfo): LadderPlan {
  const plan: LadderPlan = { renditions: [], skipped: [] };
  const sourceShort = Math.min(media.display_width, media.display_height);

  for (const label of parseResolutions(requestedLabels)) {
    const rung = rungByLabel(label) as LadderRung;
    if (rung.shortSide > sourceShort) {
      plan.skipped.push({ label, reason: 'UPSCALE_NOT_ALLOWED' });
      continue;
    }
    plan.renditions.push(planRendition(rung, media));
  }
  return plan;
}

function planRendition(rung: LadderRung, media: MediaInfo): PlannedRendition {
  const { width, height } = scaledSize(media.display_width, media.display_height, rung.shortSide);
  const level = h264LevelFor({
    width,
    height,
    fps: outputFrameRate(media.fps),
    maxBitrate: rung.maxVideoBitrate,
    bufferSize: rung.maxVideoBitrate * VBV_BUFFER_FACTOR,
  });
  return {
    label: rung.label,
    width,
    height,
    video_bitrate: rung.maxVideoBitrate,
    audio_bitrate: media.has_audio ? RENDITION_AUDIO_BITRATE : 0,
    codecs: renditionCodecs(level, media.has_audio),
    h264_level: level,
  };
}

/** Scales (displayWidth x displayHeight) so its short side is `shortSide`, keeping the aspect ratio, both sides even. */
export function scaledSize(
  displayWidth: number,
  displayHeight: number,
  shortSide: number,
): { width: number; height: number } {
  const portrait = displayHeight > displayWidth;
  const [short, long] = portrait ? [displayWidth, displayHeight] : [displayHeight, displayWidth];
  const outShort = toEven(shortSide);
  const outLong = toEven((long * shortSide) / short);
  return portrait ? { width: outShort, height: outLong } : { width: outLong, height: outShort };
}

function toEven(value: number): number {
  return Math.max(2, 2 * Math.round(value / 2));
}
