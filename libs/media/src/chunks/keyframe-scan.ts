import { inputArgs } from '../input/input-args';
import type { MediaSource } from '../input/media-source';
import type { MediaInfo } from '../media-info';
import { mediaBudget } from '../runner/media-budget';
import { runMediaTool } from '../runner/run-media-tool';
import { type FrameGridFacts, onFrameGrid } from './split-eligibility';

/**
 * ffprobe arguments listing the key frames of the first video stream (their presentation times) and the
 * container's start time, from the packet flags alone: nothing is decoded.
 */
export function buildKeyframeScanArgs(source: string | MediaSource): string[] {
  return [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'packet=pts_time,flags:format=start_time',
    '-print_format',
    'csv',
    ...inputArgs(source),
  ];
}

/** The source's key frames and whether its frames keep to a constant-rate grid (splitRefusal decides with it). */
export interface SourceFrameScan extends FrameGridFacts {
  /** Key frames in seconds from the source's start, sorted. */
  keyframes: number[];
}

/**
 * The key frames of the source, in seconds from its start (the container's start time subtracted, the
 * way ffmpeg's `-ss`/`-to` count), sorted; and how many packets are off the 1/fps grid of the first one
 * (a variable frame rate). Read line by line: a long file's packets cost no memory.
 */
export async function scanSourceFrames(
  source: string | MediaSource,
  media: Pick<MediaInfo, 'duration_s' | 'fps'>,
  signal?: AbortSignal,
): Promise<SourceFrameScan> {
  const keyframes: number[] = [];
  let startTime = 0;
  let firstPts: number | null = null;
  let offGridFrames = 0;
  let pending = '';
  const onLine = (line: string) => {
    const [section, first, second] = line.trim().split(',');
    if (section === 'packet' && Number.isFinite(Number(first)) && first !== '') {
      const pts = Number(first);
      firstPts ??= pts;
      if (media.fps > 0 && !onFrameGrid(pts, firstPts, media.fps)) offGridFrames += 1;
      if (second?.includes('K')) keyframes.push(pts);
    }
    if (section === 'format' && Number.isFinite(Number(first))) startTime = Number(first);
  };
  await runMediaTool('ffprobe', buildKeyframeScanArgs(source), {
    budget: mediaBudget('scan', media.duration_s),
    signal,
    onStdout: (chunk) => {
      const lines = (pending + chunk.toString('latin1')).split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(onLine);
    },
  });
  onLine(pending);
  return {
    keyframes: keyframes.map((t) => Number((t - startTime).toFixed(6))).sort((a, b) => a - b),
    offGridFrames,
  };
}

/** The key frames of the source (scanSourceFrames), in seconds from its start, sorted. */
export async function scanKeyframes(
  source: string | MediaSource,
  media: Pick<MediaInfo, 'duration_s' | 'fps'>,
  signal?: AbortSignal,
): Promise<number[]> {
  return (await scanSourceFrames(source, media, signal)).keyframes;
}
