import { join } from 'node:path';
import { aacOptions, mp3OutputArgs } from '../ffmpeg/audio-options';
import { globalOptions, stripMetadataOptions } from '../ffmpeg/global-options';
import { renditionFileName, thumbnailFileName } from '../ffmpeg/output-layout';
import { THUMBNAIL_WIDTH, selectFramesAtExpression } from '../ffmpeg/thumbnail-selection';
import { buildVideoFilterGraph } from '../ffmpeg/video-filter-graph';
import { x264Options } from '../ffmpeg/x264-options';
import { inputArgs } from '../input/input-args';
import { MediaSource } from '../input/media-source';
import { needsFrameRateCap, outputFrameRate } from '../ladder/output-frame-rate';
import type { PlannedRendition } from '../ladder/plan-ladder';
import type { MediaInfo } from '../media-info';
import { type ChunkEncodeWindow, type ChunkRoll, chunkEncodeWindow, defaultChunkRoll } from './chunk-window';
import type { ChunkRange } from './plan-chunks';

/** The whole file's AAC track of a split transcode, muxed into every assembled rendition. */
export const CHUNK_AUDIO_TRACK_FILE_NAME = 'audio.m4a';

/** A thumbnail of the job that falls inside a chunk: its number (thumb-N.jpg) and time in the job's timeline. */
export interface ChunkThumbnail {
  number: number;
  time_s: number;
}

export interface ChunkEncodePlan {
  /** Presigned URL of our S3 (or a local path) of the whole source: the chunk reads its range by seeking. */
  source: string | MediaSource;
  /** Existing directory: `<label>.mp4` (video only) per rendition, and the chunk's thumbnails. */
  outDir: string;
  media: MediaInfo;
  renditions: readonly PlannedRendition[];
  range: ChunkRange;
  /** The job's thumbnails inside this chunk's range (consecutive numbers), or none. */
  thumbnails: readonly ChunkThumbnail[];
  maxPixels?: number;
  /** Pre-roll and post-roll around the range: defaultChunkRoll (other values for measuring). */
  roll?: ChunkRoll;
}

/**
 * ONE ffmpeg process for one chunk of a split transcode: seeks the source to the chunk's first key frame
 * (a pre-roll before it at a join on the grid), decodes up to the next chunk's (plus a post-roll), and writes
 * every rendition (video only: the audio is encoded once for
 * the whole file) on the job's 2 s keyframe grid, plus the job's thumbnails that fall inside it.
 * Same filters and encoder options as the single pass (buildTranscodeArgs), so the assembled file matches it.
 */
export function buildChunkEncodeArgs(plan: ChunkEncodePlan): string[] {
  const { media, renditions } = plan;
  const fps = outputFrameRate(media.fps);
  const window = chunkWindowOf(plan);
  const thumbnails = plan.thumbnails.length > 0 ? plan.thumbnails : null;
  const filter = buildVideoFilterGraph({
    renditions,
    capFps: needsFrameRateCap(media.fps) ? fps : undefined,
    thumbnails: thumbnails
      ? {
          // The chunk's own clock starts at 0 at its first frame (the pre-roll's, if any).
          selectExpression: selectFramesAtExpression(thumbnails.map((t) => round6(t.time_s - window.fromS))),
          width: THUMBNAIL_WIDTH,
        }
      : undefined,
  });
  const args = [
    ...globalOptions(),
    ...inputArgs(plan.source, {
      maxPixels: plan.maxPixels,
      fromS: window.fromS > 0 ? window.fromS : undefined,
      untilS: window.untilS ?? undefined,
    }),
    '-filter_complex',
    filter.graph,
  ];
  renditions.forEach((rendition, i) => {
    args.push(
      '-map',
      filter.renditionPads[i],
      ...x264Options(rendition, fps, window.fromS, {
        atS: window.keyframesAtS,
        durationS: (window.untilS ?? media.duration_s) - window.fromS,
      }),
      ...stripMetadataOptions(),
      '-f',
      'mp4',
      join(plan.outDir, renditionFileName(rendition.label)),
    );
  });
  if (filter.thumbnailPad && thumbnails) {
    args.push(
      '-map',
      filter.thumbnailPad,
      '-frames:v',
      String(thumbnails.length),
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
      String(thumbnails[0].number),
      join(plan.outDir, 'thumb-%d.jpg'),
    );
  }
  return args;
}

/** What buildChunkEncodeArgs(plan) reads of the source (range + rolls) and what the assembly keeps of it. */
export const chunkWindowOf = (plan: Pick<ChunkEncodePlan, 'media' | 'range' | 'roll'>): ChunkEncodeWindow =>
  chunkEncodeWindow(plan.range, plan.media.duration_s, plan.roll ?? defaultChunkRoll(outputFrameRate(plan.media.fps)));

/** The thumbnail files buildChunkEncodeArgs(plan) writes. */
export const chunkThumbnailFiles = (plan: Pick<ChunkEncodePlan, 'outDir' | 'thumbnails'>): string[] =>
  plan.thumbnails.map((t) => join(plan.outDir, thumbnailFileName(t.number)));

export interface ChunkAudioPlan {
  source: string | MediaSource;
  outDir: string;
  /** AAC bit rate of the renditions' audio (RENDITION_AUDIO_BITRATE). */
  aacBitrate: number;
}

/**
 * ONE ffmpeg process encoding the whole file's audio once: the AAC track every assembled rendition
 * carries (`audio.m4a`: one encoder over the whole file, so no priming gap or click at a chunk join)
 * and the downloadable MP3 (`audio.mp3`), exactly as the single pass encodes them.
 */
export function buildChunkAudioArgs(plan: ChunkAudioPlan): string[] {
  return [
    ...globalOptions(),
    ...inputArgs(plan.source),
    '-map',
    '0:a:0',
    '-vn',
    ...aacOptions(plan.aacBitrate),
    ...stripMetadataOptions(),
    '-f',
    'mp4',
    join(plan.outDir, CHUNK_AUDIO_TRACK_FILE_NAME),
    ...mp3OutputArgs(plan.outDir),
  ];
}

export interface ChunkAssemblyPlan {
  /** The rendition's chunks, in order (writeConcatList). */
  videoChunks: MediaSource;
  /** The whole file's AAC track, or null without audio. */
  audioTrack: string | null;
  /** The rendition MP4 to write. */
  output: string;
}

/**
 * Joins one rendition's chunks without re-encoding (`-c copy`: each chunk starts with an IDR frame and
 * was encoded with the same options) and muxes the whole file's audio track in; index first (faststart).
 */
export function buildChunkAssemblyArgs(plan: ChunkAssemblyPlan): string[] {
  return [
    ...globalOptions(),
    ...inputArgs(plan.videoChunks),
    ...(plan.audioTrack ? inputArgs(MediaSource.localFile(plan.audioTrack)) : []),
    '-map',
    '0:v:0',
    ...(plan.audioTrack ? ['-map', '1:a:0'] : []),
    '-c',
    'copy',
    ...stripMetadataOptions(),
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    plan.output,
  ];
}

const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;
