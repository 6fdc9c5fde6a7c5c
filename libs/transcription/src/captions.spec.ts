import {
  formatSrtTime,
  formatVttTime,
  normalizeSegments,
  parseSrt,
  parseVtt,
  toSrt,
  toTranscriptJson,
  toTxt,
  toVtt,
} from './captions';
import type { TranscriptSegment } from './types';

const segs: TranscriptSegment[] = [
  {
    start: 0,
    end: 2.4,
    text: ' The quick brown fox.',
    words: [{ start: 0, end: 0.16, word: ' The', probability: 0.9 }],
  },
  { start: 2.4, end: 5.25, text: 'Jumps over\nthe lazy dog. ' },
];

describe('timestamps', () => {
  it('formats SRT and VTT times, rounding to the millisecond without overflow', () => {
    expect(formatSrtTime(0)).toBe('00:00:00,000');
    expect(formatVttTime(0)).toBe('00:00:00.000');
    expect(formatSrtTime(3661.5)).toBe('01:01:01,500');
    expect(formatVttTime(59.9996)).toBe('00:01:00.000');
    expect(formatSrtTime(1.0005)).toBe('00:00:01,001');
    expect(formatVttTime(100 * 3600 + 1.25)).toBe('100:00:01.250');
    expect(formatSrtTime(-3)).toBe('00:00:00,000');
  });
});

describe('normalizeSegments', () => {
  it('makes times monotonic, positive-length and within the duration, and drops empty text', () => {
    const out = normalizeSegments(
      [
        { start: -0.5, end: 1, text: 'a' },
        { start: 0.8, end: 2, text: 'b' }, // overlaps a
        { start: 2, end: 2, text: 'c' }, // zero length
        { start: 3, end: 4, text: '   ' }, // empty
        { start: 2.7, end: 9, text: 'd' }, // runs past the media
        { start: 9.5, end: 10, text: 'e' }, // starts after the media
        { start: Number.NaN, end: 1, text: 'f' },
      ],
      { durationS: 8 },
    );
    expect(out).toEqual([
      { start: 0, end: 1, text: 'a' },
      { start: 1, end: 2, text: 'b' },
      { start: 2, end: 2.5, text: 'c' },
      { start: 2.7, end: 8, text: 'd' },
    ]);
  });

  it('clamps words into their segment', () => {
    const [seg] = normalizeSegments([
      {
        start: 1,
        end: 2,
        text: 'x y',
        words: [
          { start: 0.9, end: 1.4, word: ' x', probability: 0.5 },
          { start: 1.3, end: 2.6, word: 'y ', probability: 0.7 },
        ],
      },
    ]);
    expect(seg.words).toEqual([
      { start: 1, end: 1.4, word: 'x', probability: 0.5 },
      { start: 1.4, end: 2, word: 'y', probability: 0.7 },
    ]);
  });
});

describe('toSrt', () => {
  it('writes numbered cues with HH:MM:SS,mmm', () => {
    expect(toSrt(segs)).toBe(
      '1\n00:00:00,000 --> 00:00:02,400\nThe quick brown fox.\n\n2\n00:00:02,400 --> 00:00:05,250\nJumps over the lazy dog.\n',
    );
  });

  it('clamps to the duration and neutralizes arrows', () => {
    const srt = toSrt([{ start: 0, end: 9, text: 'a --> b' }], { durationS: 4.5 });
    expect(srt).toBe('1\n00:00:00,000 --> 00:00:04,500\na -> b\n');
  });

  it('is empty without segments, and parses back', () => {
    expect(toSrt([])).toBe('');
    expect(parseSrt('')).toEqual([]);
    expect(parseSrt(toSrt(segs))).toEqual([
      { start: 0, end: 2.4, text: 'The quick brown fox.' },
      { start: 2.4, end: 5.25, text: 'Jumps over the lazy dog.' },
    ]);
  });

  it('parseSrt rejects malformed files', () => {
    expect(() => parseSrt('1\n00:00:00.000 --> 00:00:01,000\nx\n')).toThrow(/timestamp/);
    expect(() => parseSrt('2\n00:00:00,000 --> 00:00:01,000\nx\n')).toThrow(/index/);
  });
});

describe('toVtt', () => {
  it('writes the WEBVTT header and HH:MM:SS.mmm cues, escaping markup', () => {
    expect(toVtt([{ start: 1, end: 2, text: 'Tom & <Jerry>' }])).toBe(
      'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nTom &amp; &lt;Jerry&gt;\n',
    );
  });

  it('is just the header without segments, and parses back', () => {
    expect(toVtt([])).toBe('WEBVTT\n');
    expect(parseVtt('WEBVTT\n')).toEqual([]);
    expect(parseVtt(toVtt(segs)).map((c) => [c.start, c.end])).toEqual([
      [0, 2.4],
      [2.4, 5.25],
    ]);
  });

  it('parseVtt accepts identifiers, settings, NOTE blocks and MM:SS times; rejects a missing header', () => {
    const vtt = 'WEBVTT - x\n\nNOTE hi\n\ncue1\n00:01.000 --> 00:02.500 align:start\nhello\n';
    expect(parseVtt(vtt)).toEqual([{ start: 1, end: 2.5, text: 'hello' }]);
    expect(() => parseVtt('00:00:01.000 --> 00:00:02.000\nx\n')).toThrow(/WEBVTT/);
  });
});

describe('toTxt and toTranscriptJson', () => {
  it('writes one line per segment; empty input gives an empty file', () => {
    expect(toTxt(segs)).toBe('The quick brown fox.\nJumps over the lazy dog.\n');
    expect(toTxt([])).toBe('');
  });

  it('writes language, model, duration, full text and clamped segments with words', () => {
    const doc = JSON.parse(toTranscriptJson({ language: 'en', model: 'whisper-base', duration_s: 5, segments: segs }));
    expect(doc).toEqual({
      language: 'en',
      model: 'whisper-base',
      duration_s: 5,
      text: 'The quick brown fox. Jumps over the lazy dog.',
      segments: [
        {
          start: 0,
          end: 2.4,
          text: 'The quick brown fox.',
          words: [{ start: 0, end: 0.16, word: 'The', probability: 0.9 }],
        },
        { start: 2.4, end: 5, text: 'Jumps over the lazy dog.', words: [] },
      ],
    });
    const empty = JSON.parse(toTranscriptJson({ language: 'und', model: 'whisper-base', duration_s: 3, segments: [] }));
    expect(empty).toEqual({ language: 'und', model: 'whisper-base', duration_s: 3, text: '', segments: [] });
  });
});
