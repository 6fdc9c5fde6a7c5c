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
