import { DEFAULT_CAPTION_LAYOUT, layoutCues, wrapLines } from './caption-layout';
import { parseSrt, parseVtt, toSrt, toVtt } from './captions';
import type { TranscriptSegment } from './types';

const LONG =
  'Every uploaded video is checked, transcoded into several editions, and packaged for adaptive streaming, while captions are made from the speech.';

/** Whisper-like word timestamps: one word every `step` seconds from `start`. */
function withWords(text: string, start: number, step: number): TranscriptSegment {
  const words = text.split(' ').map((word, i) => ({
    word: ` ${word}`,
    start: start + i * step,
    end: start + (i + 1) * step - 0.05,
    probability: 0.9,
  }));
  return { start, end: start + words.length * step, text, words };
}

describe('wrapLines', () => {
  it('keeps a short text on one line and balances two lines at a space', () => {
    expect(wrapLines('Short enough.', 42)).toEqual(['Short enough.']);
    const lines = wrapLines('The quick brown fox jumps over the lazy dog near the river bank.', 42);
    expect(lines).toEqual(['The quick brown fox jumps over', 'the lazy dog near the river bank.']);
  });

  it('gives a word longer than a line a line of its own', () => {
    expect(wrapLines(`a ${'x'.repeat(50)} b`, 42)).toEqual(['a', 'x'.repeat(50), 'b']);
  });
});

describe('layoutCues', () => {
  it('splits a long segment into cues of at most 2 lines of 42 characters, keeping every word in order', () => {
    const segment = { start: 10, end: 22, text: LONG };
    const cues = layoutCues([segment]);
    expect(cues.length).toBeGreaterThan(1);
    for (const cue of cues) {
      expect(cue.lines.length).toBeLessThanOrEqual(2);
      for (const line of cue.lines) expect(line.length).toBeLessThanOrEqual(42);
    }
    expect(cues.map((c) => c.lines.join(' ')).join(' ')).toBe(LONG);
    // Contiguous and inside the segment, strictly increasing.
    expect(cues[0].start).toBe(10);
    expect(cues.at(-1)!.end).toBe(22);
    for (let i = 0; i < cues.length; i++) {
      expect(cues[i].end).toBeGreaterThan(cues[i].start);
      if (i > 0) expect(cues[i].start).toBe(cues[i - 1].end);
    }
  });

  it('cuts at word timestamps when the segment has them, and keeps each cue under 7 s', () => {
    // Slow speech: 20 short words, one per second; the characters fit one cue but the time does not.
    const slow = withWords(Array.from({ length: 20 }, (_, i) => `w${i}`).join(' '), 5, 1);
    const cues = layoutCues([slow]);
    expect(cues.length).toBeGreaterThanOrEqual(3);
    for (const cue of cues) expect(cue.end - cue.start).toBeLessThanOrEqual(DEFAULT_CAPTION_LAYOUT.maxCueS);
    // Each later cue starts exactly when its first word starts.
    for (const cue of cues.slice(1)) {
      const firstWord = cue.lines[0].split(' ')[0];
      expect(cue.start).toBe(slow.words!.find((w) => w.word.trim() === firstWord)!.start);
    }
  });

  it('shares the time by length when word timestamps are squeezed together at the end of the segment', () => {
    const squeezed: TranscriptSegment = {
      start: 0,
      end: 4,
      text: LONG,
      words: LONG.split(' ').map((word) => ({ word, start: 4, end: 4, probability: 0.5 })),
    };
    const cues = layoutCues([squeezed]);
    expect(cues.length).toBeGreaterThan(1);
    for (const cue of cues) expect(cue.end).toBeGreaterThan(cue.start);
    expect([cues[0].start, cues.at(-1)!.end]).toEqual([0, 4]);
  });

  it('leaves a short segment as one cue on one line', () => {
    expect(layoutCues([{ start: 1, end: 2.5, text: 'Hello there.' }])).toEqual([
      { start: 1, end: 2.5, lines: ['Hello there.'] },
    ]);
  });
});

describe('SRT and VTT use the layout', () => {
  it('write multi-line cues that parse back, with every line within 42 characters', () => {
    const segments = [{ start: 0, end: 3, text: 'Intro.' }, withWords(LONG, 3, 0.4)];
    for (const cues of [parseSrt(toSrt(segments, { durationS: 30 })), parseVtt(toVtt(segments, { durationS: 30 }))]) {
      expect(cues.length).toBeGreaterThan(2);
      for (const cue of cues) for (const line of cue.text.split('\n')) expect(line.length).toBeLessThanOrEqual(42);
      expect(cues.map((c) => c.text.replace(/\n/g, ' ')).join(' ')).toBe(`Intro. ${LONG}`);
    }
  });
});
