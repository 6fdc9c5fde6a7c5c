import { CaptionLayout, DEFAULT_CAPTION_LAYOUT, layoutCues } from './caption-layout';
import type { TranscriptSegment, TranscriptWord } from './types';

/** Options shared by the caption writers. */
export interface CaptionOptions {
  /** Media duration in seconds: cues are clamped to it and cues starting at or after it are dropped. */
  durationS?: number;
  /** SRT and VTT: how long segments are split and wrapped into cues (default: 42 characters, 2 lines, 7 s). */
  layout?: CaptionLayout;
}

/** A cue read back from an SRT or VTT file (times in seconds). */
export interface CaptionCue {
  start: number;
  end: number;
  text: string;
}

/** Shortest cue a zero-length or inverted segment is stretched to. */
const MIN_CUE_MS = 500;

const toMs = (s: number): number => Math.round(s * 1000);

function cleanText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Makes segments safe to write: text collapsed to one line, empty ones dropped, times rounded to the
 * millisecond, monotonic (each cue starts no earlier than the previous one ends), end > start, and
 * everything within [0, durationS]. Words are clamped into their segment and made monotonic too.
 */
export function normalizeSegments(
  segments: readonly TranscriptSegment[],
  options: CaptionOptions = {},
): TranscriptSegment[] {
  const durMs =
    options.durationS !== undefined && Number.isFinite(options.durationS)
      ? Math.max(0, toMs(options.durationS))
      : undefined;
  const out: TranscriptSegment[] = [];
  let prevEndMs = 0;
  for (const seg of segments) {
    const text = cleanText(seg.text ?? '');
    if (!text || !Number.isFinite(seg.start) || !Number.isFinite(seg.end)) continue;
    const startMs = Math.max(0, toMs(seg.start), prevEndMs);
    if (durMs !== undefined && startMs >= durMs) continue;
    let endMs = toMs(seg.end);
    if (endMs <= startMs) endMs = startMs + MIN_CUE_MS;
    if (durMs !== undefined) endMs = Math.min(endMs, durMs);
    if (endMs <= startMs) continue;

    const normalized: TranscriptSegment = { start: startMs / 1000, end: endMs / 1000, text };
    if (seg.words) {
      const words: TranscriptWord[] = [];
      let prevWordEnd = startMs;
      for (const w of seg.words) {
        const word = cleanText(w.word ?? '');
        if (!word || !Number.isFinite(w.start) || !Number.isFinite(w.end)) continue;
        const ws = Math.min(Math.max(toMs(w.start), prevWordEnd), endMs);
        const we = Math.min(Math.max(toMs(w.end), ws), endMs);
        words.push({ start: ws / 1000, end: we / 1000, word, probability: w.probability });
        prevWordEnd = we;
      }
      normalized.words = words;
    }
    out.push(normalized);
    prevEndMs = endMs;
  }
  return out;
}

function formatTime(seconds: number, fractionSep: ',' | '.'): string {
  const total = Math.max(0, toMs(seconds));
  const ms = total % 1000;
  const s = Math.floor(total / 1000) % 60;
  const m = Math.floor(total / 60_000) % 60;
  const h = Math.floor(total / 3_600_000);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${p2(h)}:${p2(m)}:${p2(s)}${fractionSep}${String(ms).padStart(3, '0')}`;
}

/** SRT timestamp `HH:MM:SS,mmm`. */
export const formatSrtTime = (seconds: number): string => formatTime(seconds, ',');
/** WebVTT timestamp `HH:MM:SS.mmm`. */
export const formatVttTime = (seconds: number): string => formatTime(seconds, '.');

/** SubRip, one cue per laid-out caption (see layoutCues). No segments gives an empty string. */
export function toSrt(segments: readonly TranscriptSegment[], options: CaptionOptions = {}): string {
  return cuesOf(segments, options)
    .map(
      (cue, i) =>
        `${i + 1}\n${formatSrtTime(cue.start)} --> ${formatSrtTime(cue.end)}\n${cue.lines.map((l) => l.replace(/-->/g, '->')).join('\n')}\n`,
    )
    .join('\n');
}

const cuesOf = (segments: readonly TranscriptSegment[], options: CaptionOptions) =>
  layoutCues(normalizeSegments(segments, options), options.layout ?? DEFAULT_CAPTION_LAYOUT);

function escapeVtt(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** WebVTT, one cue per laid-out caption (see layoutCues). No segments gives just the `WEBVTT` header. */
export function toVtt(segments: readonly TranscriptSegment[], options: CaptionOptions = {}): string {
  const cues = cuesOf(segments, options).map(
    (cue) => `${formatVttTime(cue.start)} --> ${formatVttTime(cue.end)}\n${cue.lines.map(escapeVtt).join('\n')}\n`,
  );
  return cues.length ? `WEBVTT\n\n${cues.join('\n')}` : 'WEBVTT\n';
}

/** Plain text, one segment per line. No segments gives an empty string. */
export function toTxt(segments: readonly TranscriptSegment[], options: CaptionOptions = {}): string {
  const lines = normalizeSegments(segments, options).map((s) => s.text);
  return lines.length ? lines.join('\n') + '\n' : '';
}

export interface TranscriptJsonInput {
  language: string;
  model: string;
  duration_s: number;
  segments: readonly TranscriptSegment[];
}

/** The transcript as JSON (snake_case like the events): language, model, duration_s, text, segments with words. */
export function toTranscriptJson(input: TranscriptJsonInput): string {
  const segments = normalizeSegments(input.segments, { durationS: input.duration_s });
  const doc = {
    language: input.language,
    model: input.model,
    duration_s: input.duration_s,
    text: segments.map((s) => s.text).join(' '),
    segments: segments.map((s) => ({ start: s.start, end: s.end, text: s.text, words: s.words ?? [] })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

const SRT_TIME = /^(\d{2,}):([0-5]\d):([0-5]\d),(\d{3})$/;
const VTT_TIME = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;

function parseTime(value: string, re: RegExp, what: string): number {
  const m = re.exec(value.trim());
  if (!m) throw new Error(`bad ${what} timestamp: ${JSON.stringify(value)}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
}

function parseTiming(line: string, re: RegExp, what: string): [number, number] {
  const parts = line.split(' --> ');
  if (parts.length !== 2) throw new Error(`bad ${what} timing line: ${JSON.stringify(line)}`);
  const start = parseTime(parts[0], re, what);
  const end = parseTime(parts[1].split(/\s+/)[0], re, what); // VTT cue settings may follow the end time
  return [start, end];
}

/** Strict SubRip reader (for tests and validation). Throws on a malformed file. */
export function parseSrt(srt: string): CaptionCue[] {
  const body = srt.replace(/\r\n/g, '\n').trim();
  if (!body) return [];
  return body.split(/\n{2,}/).map((block, i) => {
    const lines = block.split('\n');
    if (lines[0].trim() !== String(i + 1)) throw new Error(`SRT cue ${i + 1}: bad index ${JSON.stringify(lines[0])}`);
    if (lines.length < 3) throw new Error(`SRT cue ${i + 1}: no text`);
    const [start, end] = parseTiming(lines[1], SRT_TIME, 'SRT');
    return { start, end, text: lines.slice(2).join('\n') };
  });
}

/** Strict WebVTT reader (cues only; NOTE/STYLE blocks skipped). Throws on a malformed file. */
export function parseVtt(vtt: string): CaptionCue[] {
  const body = vtt.replace(/\r\n/g, '\n');
  if (!/^(\uFEFF)?WEBVTT([ \t].*)?(\n|$)/.test(body)) throw new Error('VTT: missing WEBVTT header');
  const blocks = body
    .trim()
    .split(/\n{2,}/)
    .slice(1);
  const cues: CaptionCue[] = [];
  for (const block of blocks) {
    const lines = block.split('\n');
    if (/^(NOTE|STYLE|REGION)\b/.test(lines[0])) continue;
    const timingIdx = lines[0].includes('-->') ? 0 : 1; // optional cue identifier
    if (!lines[timingIdx]?.includes('-->')) throw new Error(`VTT: block without timing: ${JSON.stringify(block)}`);
    const [start, end] = parseTiming(lines[timingIdx], VTT_TIME, 'VTT');
    const text = lines.slice(timingIdx + 1).join('\n');
    if (!text) throw new Error(`VTT: cue without text at ${lines[timingIdx]}`);
    cues.push({ start, end, text });
  }
  return cues;
}
