import { inputArgs } from '../input/input-args';
import type { MediaSource } from '../input/media-source';
import type { MediaInfo } from '../media-info';
import { mediaBudget } from '../runner/media-budget';
import { runMediaTool } from '../runner/run-media-tool';

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

/**
 * The key frames of the source, in seconds from its start (the container's start time subtracted, the
 * way ffmpeg's `-ss`/`-to` count), sorted. Read line by line: a long file's packets cost no memory.
 */
export async function scanKeyframes(
  source: string | MediaSource,
  media: Pick<MediaInfo, 'duration_s'>,
  signal?: AbortSignal,
): Promise<number[]> {
  const keyframes: number[] = [];
  let startTime = 0;
  let pending = '';
  const onLine = (line: string) => {
    const [section, first, second] = line.trim().split(',');
    if (section === 'packet' && second?.includes('K') && Number.isFinite(Number(first))) keyframes.push(Number(first));
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
  return keyframes.map((t) => Number((t - startTime).toFixed(6))).sort((a, b) => a - b);
}
