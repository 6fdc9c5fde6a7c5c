import ffmpeg, { type FfprobeData } from 'fluent-ffmpeg';
import type { MediaInfo } from '../media-info';
import { classifyProbeFailure } from './classify-probe-failure';
import { mediaInfoFromFfprobe } from './media-info-from-ffprobe';

/**
 * Probes a local file or an http(s) URL (e.g. a presigned S3 GET).
 * Rejects with MediaProbeError (NOT_MEDIA, CORRUPT_MEDIA, NO_VIDEO_STREAM) when
 * the bytes are at fault, with a plain Error when ffprobe could not reach them.
 */
export async function probeMedia(pathOrUrl: string): Promise<MediaInfo> {
  let data: FfprobeData;
  try {
    data = await runFfprobe(pathOrUrl);
  } catch (error) {
    throw await classifyProbeFailure(pathOrUrl, error);
  }
  return mediaInfoFromFfprobe(data);
}

/** fluent-ffmpeg runs `ffprobe -show_streams -show_format`; -v error keeps stderr to the reason of a failure. */
export function runFfprobe(pathOrUrl: string, extraOptions: string[] = []): Promise<FfprobeData> {
  return new Promise((resolve, reject) => {
    ffmpeg.ffprobe(pathOrUrl, ['-v', 'error', ...extraOptions], (err: unknown, data: FfprobeData) =>
      err ? reject(err) : resolve(data),
    );
  });
}
