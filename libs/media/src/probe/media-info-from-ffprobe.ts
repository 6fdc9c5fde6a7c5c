import type { FfprobeData, FfprobeStream } from 'fluent-ffmpeg';
import { MediaProbeError } from '../errors';
import type { MediaInfo } from '../media-info';
import { isSideways, readRotation } from './rotation';

/**
 * Turns ffprobe's answer into MediaInfo. Pure, so every odd corner of ffprobe's
 * output (N/A values, cover art posing as video) is unit-testable.
 * Throws MediaProbeError(NO_VIDEO_STREAM) when there is no real video stream.
 */
export function mediaInfoFromFfprobe(data: FfprobeData): MediaInfo {
  const video = data.streams.find(isRealVideoStream);
  if (!video) {
    throw new MediaProbeError('NO_VIDEO_STREAM', 'The file has no video stream');
  }
  const audio = data.streams.find((s) => s.codec_type === 'audio');

  const width = toInt(video.width);
  const height = toInt(video.height);
  const rotation = readRotation(video);
  const sideways = isSideways(rotation);

  return {
    duration_s: firstPositive(data.format?.duration, video.duration),
    width,
    height,
    display_width: sideways ? height : width,
    display_height: sideways ? width : height,
    rotation,
    fps: parseFrameRate(video.avg_frame_rate) || parseFrameRate(video.r_frame_rate),
    video_codec: String(video.codec_name ?? 'unknown'),
    audio_codec: audio ? String(audio.codec_name ?? 'unknown') : null,
    has_audio: audio !== undefined,
    bit_rate: Math.round(firstPositive(data.format?.bit_rate)),
    format_name: String(data.format?.format_name ?? ''),
  };
}

/** Cover art in MP3/M4A files is a one-picture "video" stream; it is not a video. */
function isRealVideoStream(stream: FfprobeStream): boolean {
  return stream.codec_type === 'video' && !Number(stream.disposition?.attached_pic);
}

/** ffprobe writes rates as fractions ("30000/1001"); "0/0" means unknown. */
export function parseFrameRate(rate: unknown): number {
  if (typeof rate === 'number') return Number.isFinite(rate) && rate > 0 ? rate : 0;
  if (typeof rate !== 'string') return 0;
  const [num, den = '1'] = rate.split('/');
  const value = Number(num) / Number(den);
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/** First candidate that is a positive finite number, 0 when none is (ffprobe says "N/A"). */
function firstPositive(...candidates: unknown[]): number {
  for (const candidate of candidates) {
    const n = Number(candidate);
    if (Number.isFinite(n) && n > 0) return n;
  }
  return 0;
}

function toInt(value: unknown): number {
  const n = Number(value);
  return Number.isFinite(n) ? Math.round(n) : 0;
}
