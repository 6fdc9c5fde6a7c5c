import type { TranscriptSegment, TranscriptWord } from './types';

/** How captions are laid out on screen (common broadcast guidelines: 42 characters, 2 lines, 7 s). */
export interface CaptionLayout {
  maxLineChars: number;
  maxLines: number;
  /** Longest a cue stays on screen; a longer segment is split. */
  maxCueS: number;
}

export const DEFAULT_CAPTION_LAYOUT: CaptionLayout = { maxLineChars: 42, maxLines: 2, maxCueS: 7 };

/** One caption cue: its lines, and times in seconds. */
export interface LaidOutCue {
  start: number;
  end: number;
  lines: string[];
}

interface TimedWord {
  text: string;
  start: number;
  end: number;
}

/**
 * Turns normalized segments into readable cues. A Whisper segment can be a 100-character sentence
 * lasting 10 s, which a player shows as one long line. Each segment is split, at word boundaries, into
 * cues of at most `maxLines` lines of `maxLineChars` characters and at most `maxCueS` seconds.
 * The lines of a cue are balanced. A cue's times come from the word timestamps when the segment has
 * them. Otherwise the segment's time is shared out in proportion to the characters. Cues stay inside
 * their segment and keep its order, so they stay monotonic.
 */
export function layoutCues(
  segments: readonly TranscriptSegment[],
  layout: CaptionLayout = DEFAULT_CAPTION_LAYOUT,
): LaidOutCue[] {
  return segments.flatMap((segment) => layoutSegment(segment, layout));
}

function layoutSegment(segment: TranscriptSegment, layout: CaptionLayout): LaidOutCue[] {
  const words = timedWords(segment);
  const maxChars = layout.maxLineChars * layout.maxLines;
  const chunks: TimedWord[][] = [];
  let current: TimedWord[] = [];
  for (const word of words) {
    const next = [...current, word];
    const tooLong =
      joined(next).length > maxChars || wrapLines(joined(next), layout.maxLineChars).length > layout.maxLines;
    const tooSlow = current.length > 0 && word.end - current[0].start > layout.maxCueS;
    if (current.length > 0 && (tooLong || tooSlow)) {
      chunks.push(current);
      current = [word];
    } else current = next;
  }
  if (current.length > 0) chunks.push(current);
  const byWords = chunks.map((chunk, i) => ({
    // Contiguous within the segment: a cue ends where the next one starts (no flicker between them).
    start: i === 0 ? segment.start : chunk[0].start,
    end: i === chunks.length - 1 ? segment.end : chunks[i + 1][0].start,
    lines: wrapLines(joined(chunk), layout.maxLineChars),
  }));
  // Word times squeezed together (clamped to the segment's end) would give an empty cue: share by length instead.
  return byWords.every((cue) => cue.end > cue.start) ? byWords : shareByLength(segment, byWords);
}

function shareByLength(segment: TranscriptSegment, cues: LaidOutCue[]): LaidOutCue[] {
  const lengths = cues.map((cue) => cue.lines.join(' ').length + 1);
  const total = lengths.reduce((a, b) => a + b, 0);
  const span = segment.end - segment.start;
  let at = 0;
  return cues.map((cue, i) => {
    const start = i === 0 ? segment.start : round(segment.start + (span * at) / total);
    at += lengths[i];
    const end = i === cues.length - 1 ? segment.end : round(segment.start + (span * at) / total);
    return { ...cue, start, end };
  });
}

const joined = (words: readonly TimedWord[]): string => words.map((w) => w.text).join(' ');

/** The segment's words with times: its own word timestamps when they spell its text, else shares of its span by length. */
function timedWords(segment: TranscriptSegment): TimedWord[] {
  const texts = segment.text.split(' ').filter(Boolean);
  if (segment.words?.length && sameWords(segment.words, texts)) {
    return segment.words.map((w) => ({ text: w.word.trim(), start: w.start, end: w.end }));
  }
  const span = segment.end - segment.start;
  const total = texts.reduce((n, t) => n + t.length + 1, 0);
  let at = 0;
  return texts.map((text) => {
    const start = segment.start + (span * at) / total;
    at += text.length + 1;
    return { text, start: round(start), end: round(segment.start + (span * at) / total) };
  });
}

const sameWords = (words: readonly TranscriptWord[], texts: readonly string[]): boolean =>
  words.length === texts.length && words.every((w, i) => w.word.trim() === texts[i]);

const round = (s: number): number => Math.round(s * 1000) / 1000;

/**
 * Breaks text into lines of at most `maxChars`, at spaces. Two lines are balanced: the break that
 * makes the longer line shortest. A single word longer than a line keeps a line to itself.
 */
export function wrapLines(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return [text];
  const words = text.split(' ');
  let best: string[] | undefined;
  for (let i = 1; i < words.length; i++) {
    const pair = [words.slice(0, i).join(' '), words.slice(i).join(' ')];
    if (
      pair.every((line) => line.length <= maxChars) &&
      (!best || Math.max(...pair.map((l) => l.length)) < Math.max(...best.map((l) => l.length)))
    )
      best = pair;
  }
  if (best) return best;
  // More than two lines' worth (or an over-long word): fill lines greedily.
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= maxChars) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}
