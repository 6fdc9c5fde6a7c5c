import { basename, extname } from 'node:path';
import { globalOptions, stripMetadataOptions } from '../ffmpeg/global-options';
import { KEYFRAME_INTERVAL_S } from '../ffmpeg/keyframe-options';
import { inputArgs } from '../input/input-args';
import { MediaSource } from '../input/media-source';
import { hlsVariantLayout } from './hls-layout';

export interface HlsRemuxOptions {
  /** Target segment length; a multiple of the rendition keyframe interval (2 s), so every segment starts on a keyframe. */
  segmentSeconds?: number;
  /** Variant directory name; defaults to the MP4's base name ("720p.mp4" -> "720p"). */
  label?: string;
}

export const DEFAULT_SEGMENT_SECONDS = 6;

/**
 * Arguments to cut a rendition MP4 into a VOD HLS variant without re-encoding
 * (-c copy): MPEG-TS segments plus `<label>/index.m3u8`. The variant directory
 * must exist (see hlsVariantLayout).
 */
export function buildHlsRemuxArgs(renditionMp4: string, outDir: string, options: HlsRemuxOptions = {}): string[] {
  const segmentSeconds = options.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS;
  if (!(segmentSeconds > 0) || segmentSeconds % KEYFRAME_INTERVAL_S !== 0) {
    throw new Error(`segmentSeconds must be a positive multiple of ${KEYFRAME_INTERVAL_S}, got ${segmentSeconds}`);
  }
  const label = options.label ?? basename(renditionMp4, extname(renditionMp4));
  const layout = hlsVariantLayout(outDir, label);

  return [
    ...globalOptions(),
    ...inputArgs(MediaSource.localFile(renditionMp4)),
    '-map',
    '0:v:0',
    '-map',
    '0:a:0?',
    '-c',
    'copy',
    ...stripMetadataOptions(),
    '-f',
    'hls',
    '-hls_playlist_type',
    'vod',
    '-hls_time',
    String(segmentSeconds),
    '-hls_segment_type',
    'mpegts',
    '-hls_segment_filename',
    layout.segmentPattern,
    // Each segment starts with an IDR frame (guaranteed by the encoder's fixed GOP); tells players they can start anywhere.
    '-hls_flags',
    'independent_segments',
    layout.playlistPath,
  ];
}
