import type { FfprobeData, FfprobeStream } from 'fluent-ffmpeg';
import { MediaProbeError } from '../errors';
import { inputArgs, type InputOptions } from '../input/input-args';
import type { MediaSource } from '../input/media-source';
import type { MediaInfo } from '../media-info';
import { type MediaBudget, mediaBudget } from '../runner/media-budget';
import { runMediaTool } from '../runner/run-media-tool';
import { classifyProbeFailure } from './classify-probe-failure';
import { mediaInfoFromFfprobe } from './media-info-from-ffprobe';

/**
 * Probes a local file or a presigned URL of our S3.
 * Rejects with MediaProbeError (NOT_MEDIA, CORRUPT_MEDIA, NO_VIDEO_STREAM) when the bytes are at fault,
 * MediaLimitExceededError when ffprobe went over its budget, a plain Error when ffprobe could not reach them.
 */
export async function probeMedia(source: string | MediaSource, options: InputOptions = {}): Promise<MediaInfo> {
  let data: FfprobeData;
  try {
    data = await runFfprobe(source, ['-show_streams', '-show_format'], { input: options });
  } catch (error) {
    throw await classifyProbeFailure(source, error);
  }
  return mediaInfoFromFfprobe(data);
}

/** Largest JSON answer we keep: streams and format of any real file are a few kB. */
const MAX_PROBE_OUTPUT_BYTES = 4 * 1024 * 1024;

/** `ffprobe -v error -print_format json <sections> <restricted input>`, parsed. The same shape fluent-ffmpeg's ffprobe gives. */
export async function runFfprobe(
  source: string | MediaSource,
  sections: string[] = ['-show_streams', '-show_format'],
  options: { input?: InputOptions; budget?: MediaBudget; signal?: AbortSignal } = {},
): Promise<FfprobeData> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  await runMediaTool(
    'ffprobe',
    ['-v', 'error', '-print_format', 'json', ...sections, ...inputArgs(source, options.input)],
    {
      budget: options.budget ?? mediaBudget('probe'),
      signal: options.signal,
      onStdout: (chunk) => {
        bytes += chunk.length;
        if (bytes <= MAX_PROBE_OUTPUT_BYTES) chunks.push(chunk);
      },
    },
  );
  if (bytes > MAX_PROBE_OUTPUT_BYTES)
    throw new MediaProbeError('CORRUPT_MEDIA', 'The file describes more streams than any video has');
  const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Partial<FfprobeData>;
  return {
    streams: (parsed.streams ?? []).map(withSideData),
    format: parsed.format ?? {},
    chapters: parsed.chapters ?? [],
  } as FfprobeData;
}

/** Side data keys (the display matrix's `rotation`) flattened onto the stream, where readRotation looks for them. */
function withSideData(stream: FfprobeStream & { side_data_list?: Record<string, unknown>[] }): FfprobeStream {
  const flat: Record<string, unknown> = {};
  for (const entry of stream.side_data_list ?? []) Object.assign(flat, entry);
  return { ...flat, ...stream };
}
