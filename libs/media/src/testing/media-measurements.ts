// Measuring our own outputs, for tests and benches: frame lists, stream durations, per-frame PSNR of
// encodes against their source, and a full decode of an MP4 or an HLS playlist. Not exported from
// @tf/media (nothing in the product measures); tests and benches import it by path like lavfi-fixtures.
//
// Every MP4 input goes through the product's own `inputArgs` (the restricted input). An HLS playlist
// cannot: the product's format whitelist refuses the hls demuxer on purpose (a tenant's playlist could
// fetch anything). The playlists measured here are the ones the hls stage wrote, so `hlsPlaylistInputArgs`
// allows exactly hls + mpegts, over the same protocols MediaSource allows for the path or URL.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { MediaSource } from '../input/media-source';
import { inputArgs } from '../input/input-args';
import { mediaBudget } from '../runner/media-budget';
import { runFfmpeg } from '../runner/run-ffmpeg';
import { runFfprobe } from '../probe/probe-media';
import { runMediaTool } from '../runner/run-media-tool';

const QUIET = ['-hide_banner', '-nostdin', '-v', 'error'];

/** One frame of the first video stream, in presentation order. */
export interface VideoFrame {
  /** Presentation time in seconds. */
  ptsS: number;
  key: boolean;
}

/** The first video stream's packets (one per frame for H.264) sorted by presentation time; no decode. */
export async function videoFrames(source: string): Promise<VideoFrame[]> {
  const out: Buffer[] = [];
  await runMediaTool(
    'ffprobe',
    [
      '-v',
      'error',
      '-print_format',
      'json',
      '-select_streams',
      'v:0',
      '-show_entries',
      'packet=pts_time,flags',
      ...inputArgs(source),
    ],
    { budget: mediaBudget('scan', 3600), onStdout: (chunk) => out.push(chunk) },
  );
  const data = JSON.parse(Buffer.concat(out).toString('utf8')) as {
    packets?: Array<{ pts_time?: string; flags?: string }>;
  };
  return (data.packets ?? [])
    .map((p) => ({ ptsS: Number(p.pts_time), key: (p.flags ?? '').includes('K') }))
    .sort((a, b) => a.ptsS - b.ptsS);
}

/** Times (s) of the key frames, in order. */
export const keyframeTimes = (frames: readonly VideoFrame[]): number[] =>
  frames.filter((f) => f.key).map((f) => f.ptsS);

export interface StreamDurations {
  /** Duration of the first video stream as the container states it (s). */
  videoS: number;
  /** Duration of the first audio stream (s); null without audio. */
  audioS: number | null;
  /** Frames of the first video stream as the container counts them. */
  videoFrames: number;
  /** One frame's duration (s), from the stream's average frame rate. */
  frameS: number;
}

export async function streamDurations(source: string): Promise<StreamDurations> {
  const { streams } = await runFfprobe(source, ['-show_streams']);
  const video = streams.find((s) => s.codec_type === 'video');
  const audio = streams.find((s) => s.codec_type === 'audio');
  if (!video) throw new Error(`no video stream in ${source}`);
  const [num, den] = String(video.avg_frame_rate ?? '0/1')
    .split('/')
    .map(Number);
  return {
    videoS: Number(video.duration),
    audioS: audio ? Number(audio.duration) : null,
    videoFrames: Number(video.nb_frames),
    frameS: den / num,
  };
}

/**
 * The input options for an HLS playlist the hls stage wrote (see the file comment): `-i` through the same
 * MediaSource rules (absolute path or our S3's URL), formats limited to hls and its MPEG-TS segments.
 */
function hlsPlaylistInputArgs(playlist: string): string[] {
  const input = MediaSource.of(playlist);
  return ['-format_whitelist', 'hls,mpegts', '-protocol_whitelist', input.protocols.join(','), '-i', input.target];
}

export interface DecodeResult {
  /** Video frames decoded (written to the null muxer without dropping or duplicating). */
  frames: number;
  /** Position reached (s). */
  outS: number;
  /** What ffmpeg said at `-v warning`: empty when every packet (and every HLS segment) decoded. */
  errors: string;
}

/** Decodes the first video and audio stream of an MP4 (or, with `hls`, of a variant or master playlist) to nothing. */
function buildDecodeArgs(source: string, options: { hls?: boolean } = {}): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    // A segment that cannot be opened is only a warning to the hls demuxer; a clean decode says nothing at this level.
    '-v',
    'warning',
    ...(options.hls ? hlsPlaylistInputArgs(source) : inputArgs(source)),
    '-map',
    '0:v:0',
    '-map',
    '0:a:0?',
    '-fps_mode',
    'passthrough',
    '-progress',
    'pipe:1',
    '-f',
    'null',
    '-',
  ];
}

export async function decodeAll(
  source: string,
  options: { hls?: boolean; durationS?: number } = {},
): Promise<DecodeResult> {
  const result = await runFfmpeg(buildDecodeArgs(source, options), { durationS: options.durationS ?? 3600 });
  return {
    frames: result.lastProgress?.frame ?? 0,
    outS: (result.lastProgress?.outTimeUs ?? 0) / 1e6,
    errors: result.stderr.trim(),
  };
}

export interface PsnrComparison {
  /** The source every encode is compared with (scaled to the encodes' size, as the ladder scales it). */
  reference: string;
  /** Encodes of that source, all of one size; paired with the reference frame by frame, by index. */
  encodes: readonly string[];
  width: number;
  height: number;
  /** One stats file per encode (ffmpeg's psnr filter writes a line per frame). */
  statsFiles: readonly string[];
}

/** A path ffmpeg's filter-graph syntax takes without escaping. */
const SAFE_PATH = /^[A-Za-z0-9/._-]+$/;

/**
 * One ffmpeg run: decodes the reference once, scales it, and compares it with every encode (`psnr` filter).
 * Frames are paired by index (setpts=N on both sides), so a missing or extra frame shows as a collapse of
 * PSNR from there on instead of being hidden by timestamp matching; the comparison stops at the shorter
 * input (compare frame counts first).
 */
export function buildPsnrArgs(c: PsnrComparison): string[] {
  if (c.encodes.length === 0 || c.encodes.length !== c.statsFiles.length) throw new Error('one stats file per encode');
  for (const f of c.statsFiles) if (!SAFE_PATH.test(f)) throw new Error(`stats file path not filter-safe: ${f}`);
  const n = c.encodes.length;
  const byIndex = 'settb=AVTB,setpts=N';
  const graph = [
    `[0:v]scale=${c.width}:${c.height},format=yuv420p,${byIndex},split=${n}${c.encodes.map((_, i) => `[r${i}]`).join('')}`,
    ...c.encodes.map((_, i) => `[${i + 1}:v]format=yuv420p,${byIndex}[e${i}]`),
    ...c.encodes.map((_, i) => `[e${i}][r${i}]psnr=shortest=1:stats_file=${c.statsFiles[i]}[p${i}]`),
  ].join(';');
  return [
    ...QUIET,
    ...inputArgs(c.reference),
    ...c.encodes.flatMap((e) => inputArgs(e)),
    '-filter_complex',
    graph,
    ...c.encodes.flatMap((_, i) => ['-map', `[p${i}]`, '-f', 'null', '-']),
  ];
}

export interface FramePsnr {
  /** Frame index from 0. */
  n: number;
  /** PSNR over Y, U and V (dB); Infinity for identical frames. */
  avg: number;
  y: number;
}

/** The psnr filter's stats file: `n:1 mse_avg:… psnr_avg:44.24 psnr_y:43.33 …` per frame (n from 1). */
export function parsePsnrStats(text: string): FramePsnr[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('n:'))
    .map((line) => {
      const fields = Object.fromEntries(
        line
          .trim()
          .split(/\s+/)
          .map((kv) => kv.split(':') as [string, string]),
      );
      const db = (v: string | undefined) => (v === 'inf' ? Infinity : Number(v));
      return { n: Number(fields.n) - 1, avg: db(fields.psnr_avg), y: db(fields.psnr_y) };
    });
}

/** Per-frame PSNR of each encode against the reference (same order as `c.encodes`). */
export async function psnrPerFrame(c: PsnrComparison, durationS = 3600): Promise<FramePsnr[][]> {
  await runFfmpeg(buildPsnrArgs(c), { durationS, budget: mediaBudget('encode', durationS) });
  return Promise.all(c.statsFiles.map(async (f) => parsePsnrStats(await readFile(f, 'utf8'))));
}

export interface JoinQuality {
  /** Mean over the clip of (PSNR of the baseline − PSNR of the candidate), frame by frame (dB). */
  meanGapDb: number;
  /** The join frames (indices) examined, each with its own gap. */
  joins: Array<{ n: number; gapDb: number }>;
  /** The largest join gap minus the mean gap (dB): how much worse the joins are than the clip as a whole. */
  worstExcessDb: number;
}

/**
 * How the candidate (chunked) encode fares at its joins compared with the baseline (single pass), both
 * measured against the same source: per frame, gap = baseline − candidate; the joins' gaps are compared
 * with the clip's mean gap. `window` frames either side of each join index are examined too (the last
 * frames of one chunk and the first of the next).
 */
export function joinQuality(
  baseline: readonly FramePsnr[],
  candidate: readonly FramePsnr[],
  joinIndices: readonly number[],
  window = 2,
): JoinQuality {
  if (baseline.length !== candidate.length)
    throw new Error(`frame counts differ: ${baseline.length} vs ${candidate.length}`);
  // Identical frames compare at +inf dB on both sides; cap so one lossless frame cannot dominate a mean.
  const cap = (db: number) => Math.min(db, 100);
  const gap = (i: number) => cap(baseline[i].avg) - cap(candidate[i].avg);
  const meanGapDb = baseline.reduce((sum, _, i) => sum + gap(i), 0) / baseline.length;
  const examined = new Set<number>();
  for (const j of joinIndices)
    for (let i = j - window; i <= j + window; i++) if (i >= 0 && i < baseline.length) examined.add(i);
  const joins = [...examined].sort((a, b) => a - b).map((n) => ({ n, gapDb: gap(n) }));
  const worstExcessDb = joins.length ? Math.max(...joins.map((j) => j.gapDb)) - meanGapDb : 0;
  return { meanGapDb, joins, worstExcessDb };
}

/** Index of the frame presented at (or nearest to) `timeS`. */
export function frameIndexAt(frames: readonly VideoFrame[], timeS: number): number {
  let best = 0;
  for (let i = 1; i < frames.length; i++)
    if (Math.abs(frames[i].ptsS - timeS) < Math.abs(frames[best].ptsS - timeS)) best = i;
  return best;
}

/**
 * CPU time (user + system, seconds) of this process's children that have ended, e.g. every ffmpeg run so far
 * (Linux /proc/self/stat cutime + cstime, in clock ticks of 1/100 s): the difference around a series of runs
 * is their CPU time, all threads included.
 */
export function endedChildrenCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}
