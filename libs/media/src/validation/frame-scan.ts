import type { MediaRejection } from '../errors';
import { inputArgs } from '../input/input-args';
import { MediaSource } from '../input/media-source';
import { isInfrastructureFailure } from '../probe/classify-probe-failure';
import { FfmpegExitError } from '../runner/ffmpeg-errors';
import type { MediaInfo } from '../media-info';
import { mediaBudget } from '../runner/media-budget';
import { runMediaTool } from '../runner/run-media-tool';
import { type MediaLimits, maxPixels } from './media-limits';
import { aspectRatioRejection } from './validate-source';

/** What the frame scan saw in the first video stream. */
export interface FrameScan {
  /** Video packets in the file (one per frame). */
  packets: number;
  /** Decoded key-frame sizes, "WxH" -> how many. */
  keyFrameSizes: Map<string, number>;
  /** A decoder refused a frame larger than -max_pixels. */
  oversizedFrame: boolean;
}

/**
 * ffprobe arguments that demux every packet of the first video stream (counting them) and decode only
 * its key frames (`-skip_frame nokey`), printing each one's size. A size can only change at a key frame
 * in the codecs we take, so this sees every picture size in the file for a fraction of a full decode.
 */
export function buildFrameScanArgs(source: string | MediaSource, pixels: number): string[] {
  return [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-skip_frame',
    'nokey',
    '-count_packets',
    '-show_entries',
    'frame=width,height:stream=nb_read_packets',
    '-print_format',
    'compact',
    ...inputArgs(source, { maxPixels: pixels }),
  ];
}

const OVERSIZED = /exceeds specified max pixel count|Picture size \d+x\d+ is invalid/i;

/** Runs the scan; the output is read line by line so a file of millions of frames costs no memory. */
export async function scanFrames(
  source: string | MediaSource,
  media: MediaInfo,
  limits: MediaLimits,
  signal?: AbortSignal,
): Promise<FrameScan> {
  const scan: FrameScan = { packets: 0, keyFrameSizes: new Map(), oversizedFrame: false };
  let pending = '';
  const onLine = (line: string) => {
    const frame = /width=(\d+)\|height=(\d+)/.exec(line);
    if (line.startsWith('frame') && frame) {
      const size = `${frame[1]}x${frame[2]}`;
      scan.keyFrameSizes.set(size, (scan.keyFrameSizes.get(size) ?? 0) + 1);
    }
    const packets = /nb_read_packets=(\d+)/.exec(line);
    if (line.startsWith('stream') && packets) scan.packets = Number(packets[1]);
  };
  let stderr = '';
  try {
    ({ stderr } = await runMediaTool('ffprobe', buildFrameScanArgs(source, maxPixels(limits)), {
      budget: mediaBudget('scan', media.duration_s),
      signal,
      onStdout: (chunk) => {
        const lines = (pending + chunk.toString('latin1')).split('\n');
        pending = lines.pop() ?? '';
        lines.forEach(onLine);
      },
    }));
  } catch (error) {
    // ffprobe ends with an error when the last frames cannot be decoded; what it printed still counts.
    // Not when the bytes could not be reached (storage down mid-scan): that says nothing about the media.
    if (!(error instanceof FfmpegExitError) || isInfrastructureFailure(error.stderrTail)) throw error;
    stderr = error.stderrTail;
  }
  onLine(pending);
  scan.oversizedFrame = OVERSIZED.test(stderr);
  return scan;
}

/**
 * The verdict on what was decoded, against the header's picture size and the limits: a frame over the
 * size limit, any other picture size than the header's, an extreme shape, more frames than the
 * duration allows at maxFrameRate.
 */
export function judgeFrameScan(scan: FrameScan, media: MediaInfo, limits: MediaLimits): MediaRejection | null {
  if (scan.oversizedFrame) {
    return {
      code: 'RESOLUTION_TOO_HIGH',
      message: `A frame inside the video is larger than the limit of ${limits.maxLongSide}x${limits.maxShortSide}`,
    };
  }
  for (const size of scan.keyFrameSizes.keys()) {
    const [width, height] = size.split('x').map(Number);
    if (Math.max(width, height) > limits.maxLongSide || Math.min(width, height) > limits.maxShortSide) {
      return {
        code: 'RESOLUTION_TOO_HIGH',
        message: `A frame inside the video is ${size}; the limit is ${limits.maxLongSide}x${limits.maxShortSide}`,
      };
    }
    const aspect = aspectRatioRejection(width, height, limits);
    if (aspect) return aspect;
  }
  const header = `${media.width}x${media.height}`;
  const others = [...scan.keyFrameSizes.keys()].filter((s) => s !== header);
  if (others.length > 0) {
    return {
      code: 'VARIABLE_RESOLUTION',
      message: `The picture size changes inside the video (${header}, then ${others.slice(0, 3).join(', ')})`,
    };
  }
  if (scan.keyFrameSizes.size === 0) {
    return { code: 'CORRUPT_MEDIA', message: 'The file is damaged: no picture could be decoded' };
  }
  const maxFrames = Math.ceil(Math.max(media.duration_s, 1) * limits.maxFrameRate);
  if (scan.packets > maxFrames) {
    return {
      code: 'TOO_MANY_FRAMES',
      message: `The video has ${scan.packets} frames in ${media.duration_s.toFixed(1)} s; at most ${limits.maxFrameRate} per second are accepted`,
    };
  }
  return null;
}
