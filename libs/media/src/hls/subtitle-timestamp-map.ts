import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { runFfprobe } from '../probe/probe-media';
import { parseMediaPlaylist } from './media-playlist';

/**
 * WebVTT cue times count from the start of the video, but MPEG-TS segments do
 * not start at 0: the muxer adds its 1.4 s delay, plus the B-frame delay of the
 * encode. HLS players line the two up with X-TIMESTAMP-MAP, which must name
 * the MPEG-TS timestamp (90 kHz) at which video time 0 is shown.
 */
export async function firstVideoPts(variantPlaylistPath: string): Promise<number> {
  const [first] = parseMediaPlaylist(await readFile(variantPlaylistPath, 'utf8'));
  if (!first) throw new Error(`${variantPlaylistPath} lists no segments`);
  const data = await runFfprobe(resolve(dirname(variantPlaylistPath), first.uri));
  const video = data.streams.find((s) => s.codec_type === 'video');
  const pts = Number(video?.start_pts);
  if (!Number.isFinite(pts)) throw new Error(`No video start timestamp in the first segment of ${variantPlaylistPath}`);
  return pts;
}

/** Adds (or replaces) the X-TIMESTAMP-MAP header line of a WebVTT file for segments starting at `mpegtsPts`. */
export function withTimestampMap(vtt: string, mpegtsPts: number): string {
  const header = `X-TIMESTAMP-MAP=MPEGTS:${Math.round(mpegtsPts)},LOCAL:00:00:00.000`;
  const lines = vtt.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (!lines[0]?.startsWith('WEBVTT')) throw new Error('Not a WebVTT file: the first line must start with WEBVTT');
  const headerLines = headerLength(lines);
  const rest = lines.slice(1).filter((l, i) => !(i < headerLines && l.startsWith('X-TIMESTAMP-MAP=')));
  return [lines[0], header, ...rest].join('\n');
}

/** Lines of the header block (before the first blank line), after the WEBVTT line. */
function headerLength(lines: string[]): number {
  const blank = lines.findIndex((l, i) => i > 0 && l.trim() === '');
  return blank === -1 ? lines.length : blank - 1;
}
