import type { CaptionCue } from '@tf/transcription';

/** Cues in order, not overlapping, non-empty, and inside the media's duration. */
export function expectWellFormedCues(cues: CaptionCue[], durationS: number): void {
  let prevEnd = 0;
  for (const cue of cues) {
    expect(cue.start).toBeGreaterThanOrEqual(prevEnd);
    expect(cue.end).toBeGreaterThan(cue.start);
    expect(cue.end).toBeLessThanOrEqual(durationS + 0.0005);
    expect(cue.text.trim()).not.toBe('');
    prevEnd = cue.end;
  }
}

/** Cues laid out for reading (2 lines of 42 characters at most) that together say `text`, word for word. */
export function expectReadableCues(cues: CaptionCue[], text: string): void {
  for (const cue of cues) {
    const lines = cue.text.split('\n');
    expect(lines.length).toBeLessThanOrEqual(2);
    for (const line of lines) if (line.includes(' ')) expect(line.length).toBeLessThanOrEqual(42);
  }
  const unescaped = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  expect(unescaped(cues.map((c) => c.text.replace(/\n/g, ' ')).join(' '))).toBe(text.replace(/\s+/g, ' ').trim());
}
