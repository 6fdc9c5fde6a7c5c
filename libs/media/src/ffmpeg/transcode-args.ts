import { join } from 'node:path';
import { outputFrameRate, needsFrameRateCap } from '../ladder/output-frame-rate';
import type { PlannedRendition } from '../ladder/plan-ladder';
import type { MediaInfo } from '../media-info';
import { aacOptions, mp3Options } from './audio-options';
import { globalOptions, stripMetadataOptions } from './global-options';
import { AUDIO_FILE_NAME, THUMBNAIL_PATTERN, renditionFileName, transcodeOutputs, type TranscodeOutputs } from './output-layout';
import { THUMBNAIL_POSITIONS, THUMBNAIL_WIDTH, selectFramesAtExpression, thumbnailTimes } from './thumbnail-selection';
import { buildVideoFilterGraph } from './video-filter-graph';
import { x264Options } from './x264-options';

export interface TranscodePlan {
  /** Local path or http(s) URL of the source. */
  source: string;
  /** Existing directory the outputs are written to (see output-layout.ts for the names). */
  outDir: string;
  /** The probed source. */
  media: MediaInfo;
  /** From planLadder(...).renditions. */
  renditions: readonly PlannedRendition[];
  /** Defaults: an MP3 when the source has audio, and 5 thumbnails. */
  mp3?: boolean;
  thumbnails?: boolean;
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

  const args = [...globalOptions(), '-i', plan.source, '-filter_complex', filter.graph];

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

  if (withMp3) {
    args.push('-map', '0:a:0', '-vn', ...mp3Options(), ...stripMetadataOptions(), '-f', 'mp3', join(plan.outDir, AUDIO_FILE_NAME));
  }

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
      '-c:v',
      'mjpeg',
      '-q:v',
      '3',
      ...stripMetadataOptions(),
      '-f',
      'image2',
      '-start_number',
      '1',
      join(plan.outDir, THUMBNAIL_PATTERN),
    );
  }
  return args;
}

/** The files buildTranscodeArgs(plan) makes ffmpeg write. */
export function plannedOutputs(plan: TranscodePlan): TranscodeOutputs {
  const withMp3 = (plan.mp3 ?? true) && plan.media.has_audio;
  return transcodeOutputs(
    plan.outDir,
    plan.renditions.map((r) => r.label),
    withMp3,
    plan.thumbnails ?? true ? THUMBNAIL_POSITIONS.length : 0,
  );
}
