import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inputArgs } from '../input/input-args';
import type { MediaSource } from '../input/media-source';
import { outputFrameRate, needsFrameRateCap } from '../ladder/output-frame-rate';
import type { PlannedRendition } from '../ladder/plan-ladder';
import type { MediaInfo } from '../media-info';
import { aacOptions, mp3OutputArgs } from './audio-options';
import { globalOptions, stripMetadataOptions } from './global-options';
import {
  THUMBNAIL_PATTERN,
  renditionFileName,
  thumbnailFileName,
  transcodeOutputs,
  type TranscodeOutputs,
} from './output-layout';
import { THUMBNAIL_POSITIONS, THUMBNAIL_WIDTH, selectFramesAtExpression, thumbnailTimes } from './thumbnail-selection';
import { buildVideoFilterGraph } from './video-filter-graph';
import { x264Options } from './x264-options';

export interface TranscodePlan {
  /** Local path, or presigned URL of our S3, of the source. */
  source: string | MediaSource;
  /** Existing directory the outputs are written to (see output-layout.ts for the names). */
  outDir: string;
  /** The probed source. */
  media: MediaInfo;
  /** From planLadder(...).renditions. */
  renditions: readonly PlannedRendition[];
  /** Defaults: an MP3 when the source has audio, and 5 thumbnails. */
  mp3?: boolean;
  thumbnails?: boolean;
  /** Largest picture (width x height) a decoder may produce; default: none beyond ffmpeg's own. */
  maxPixels?: number;
}

/**
 * Arguments for ONE ffmpeg process that decodes the source once and writes
 * every rendition MP4, the MP3 and the JPEG thumbnails. Decoding is the one
 * cost all outputs share, so doing it once instead of once per output is what
 * makes a ladder cheap.
 */
export function buildTranscodeArgs(plan: TranscodePlan): string[] {
  const { media, renditions } = plan;
  const fps = outputFrameRate(media.fps);
  const withMp3 = (plan.mp3 ?? true) && media.has_audio;
  const withThumbnails = plan.thumbnails ?? true;

  const filter = buildVideoFilterGraph({
    renditions,
    capFps: needsFrameRateCap(media.fps) ? fps : undefined,
    thumbnails: withThumbnails
      ? { selectExpression: selectFramesAtExpression(thumbnailTimes(media.duration_s)), width: THUMBNAIL_WIDTH }
      : undefined,
  });

  // -max_pixels: every decoded frame is held to the size limit, not only the size the header declares.
  const args = [
    ...globalOptions(),
    ...inputArgs(plan.source, { maxPixels: plan.maxPixels }),
    '-filter_complex',
    filter.graph,
  ];

  renditions.forEach((rendition, i) => {
    args.push('-map', filter.renditionPads[i], ...x264Options(rendition, fps));
    if (media.has_audio) args.push('-map', '0:a:0', ...aacOptions(rendition.audio_bitrate));
    args.push(
      ...stripMetadataOptions(),
      // Index first, so players start before the whole file is downloaded.
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      join(plan.outDir, renditionFileName(rendition.label)),
    );
  });

  if (withMp3) args.push(...mp3OutputArgs(plan.outDir));

  if (filter.thumbnailPad) {
    args.push(
      '-map',
      filter.thumbnailPad,
      // The select filter passes one frame per position; -frames:v is the backstop that guarantees no more.
      '-frames:v',
      String(THUMBNAIL_POSITIONS.length),
      // Write the selected frames as they are: no duplicated or dropped frames to reach a constant rate.
      '-fps_mode',
      'passthrough',
      ...jpegImageOptions(),
      '-start_number',
      '1',
      join(plan.outDir, THUMBNAIL_PATTERN),
    );
  }
  return args;
}

/** A thumbnail's encoding, the same for the ladder's thumbnails and a short clip's first frame. */
function jpegImageOptions(): string[] {
  return ['-c:v', 'mjpeg', '-q:v', '3', ...stripMetadataOptions(), '-f', 'image2'];
}

/**
 * Arguments for the one thumbnail of a clip too short for any thumbnail position (a single frame, or a
 * frame followed by seconds of audio): its first frame, 640 px wide, as `thumb-1.jpg`.
 */
export function buildFirstFrameThumbnailArgs(plan: Pick<TranscodePlan, 'source' | 'outDir' | 'maxPixels'>): string[] {
  return [
    ...globalOptions(),
    ...inputArgs(plan.source, { maxPixels: plan.maxPixels }),
    '-map',
    '0:v:0',
    '-frames:v',
    '1',
    '-vf',
    `scale=${THUMBNAIL_WIDTH}:-2:flags=bicubic,setsar=1`,
    ...jpegImageOptions(),
    '-update',
    '1',
    join(plan.outDir, thumbnailFileName(1)),
  ];
}

/**
 * The files the encode actually wrote: every rendition and the MP3 as planned, and the thumbnails that
 * exist. A clip shorter than the spread of thumbnail positions has fewer frames to pick from (a 1-frame
 * clip has none past 10 % of its duration), so it gets fewer thumbnails, in time order from thumb-1.
 */
export async function writtenOutputs(plan: TranscodePlan): Promise<TranscodeOutputs> {
  const planned = plannedOutputs(plan);
  const thumbnails: string[] = [];
  for (const path of planned.thumbnails) {
    if (!(await isFile(path))) break;
    thumbnails.push(path);
  }
  return { ...planned, thumbnails };
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile() && s.size > 0,
    () => false,
  );
}

/** The files buildTranscodeArgs(plan) makes ffmpeg write. */
export function plannedOutputs(plan: TranscodePlan): TranscodeOutputs {
  const withMp3 = (plan.mp3 ?? true) && plan.media.has_audio;
  return transcodeOutputs(
    plan.outDir,
    plan.renditions.map((r) => r.label),
    withMp3,
    (plan.thumbnails ?? true) ? THUMBNAIL_POSITIONS.length : 0,
  );
}
