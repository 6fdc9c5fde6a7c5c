import { inputArgs } from '../input/input-args';
import { MediaSource } from '../input/media-source';
import { mediaBudget } from '../runner/media-budget';
import { runMediaTool } from '../runner/run-media-tool';
import type { ChunkEncodeWindow } from './chunk-window';

/** ffprobe arguments listing every video packet of a chunk's file: presentation and decoding times, flags. */
export function buildChunkPacketScanArgs(file: string): string[] {
  return [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'packet=pts_time,dts_time,flags',
    '-print_format',
    'csv',
    ...inputArgs(MediaSource.localFile(file)),
  ];
}

/**
 * The ffconcat `outpoint` that keeps exactly the frames of a chunk's file presented before its key frame at
 * `keyframeS` (its own clock): the concat demuxer ends a file at the first packet whose DECODING time reaches
 * the outpoint, and with B-frames the key frame is decoded before its presentation time (x264's reorder
 * delay). Its decoding time is read from the file: every frame before it in decoding order is presented
 * before it (closed GOPs), every frame after it is presented at or after it.
 */
export async function chunkOutpoint(file: string, keyframeS: number, signal?: AbortSignal): Promise<number> {
  const out: Buffer[] = [];
  await runMediaTool('ffprobe', buildChunkPacketScanArgs(file), {
    budget: mediaBudget('scan', keyframeS + 60),
    signal,
    onStdout: (chunk) => out.push(chunk),
  });
  for (const line of Buffer.concat(out).toString('latin1').split('\n')) {
    const [section, pts, dts, flags] = line.trim().split(',');
    if (section !== 'packet' || !flags?.includes('K')) continue;
    if (Math.abs(Number(pts) - keyframeS) < 1e-3 && Number.isFinite(Number(dts))) return Number(dts);
  }
  throw new Error(`no key frame at ${keyframeS} s in the chunk's file`);
}

/** The part of a chunk's file the assembly keeps: ffconcat inpoint/outpoint (null: from its start, to its end). */
export interface ChunkKeep {
  inpoint_s: number | null;
  outpoint_s: number | null;
  /** The kept part's duration (ffconcat `duration`), with an outpoint; null: from the file. */
  duration_s: number | null;
}

/** ChunkKeep of one rendition file written by buildChunkEncodeArgs, from its window (chunkWindowOf). */
export async function chunkKeep(file: string, window: ChunkEncodeWindow, signal?: AbortSignal): Promise<ChunkKeep> {
  return {
    inpoint_s: window.keepFromS,
    outpoint_s: window.keepUntilS === null ? null : await chunkOutpoint(file, window.keepUntilS, signal),
    duration_s:
      window.keepUntilS === null ? null : Math.round((window.keepUntilS - (window.keepFromS ?? 0)) * 1e6) / 1e6,
  };
}
