import { planChunks } from './plan-chunks';

const every = (stepS: number, untilS: number): number[] =>
  Array.from({ length: Math.floor(untilS / stepS) + 1 }, (_, i) => i * stepS);

describe('planChunks: cuts at the source key frames', () => {
  it('cuts a 10-minute source with a 2 s GOP into 60 s chunks exactly at key frames', () => {
    const chunks = planChunks(every(2, 600), 600, 60);
    expect(chunks).toHaveLength(10);
    expect(chunks[0]).toEqual({ index: 0, start_s: 0, end_s: 60 });
    expect(chunks[9]).toEqual({ index: 9, start_s: 540, end_s: null });
    // Contiguous: each chunk ends where the next starts, so no frame is in two chunks or in none.
    chunks.slice(1).forEach((c, i) => expect(chunks[i].end_s).toBe(c.start_s));
  });

  it('takes the key frame nearest the ideal cut when the GOP does not divide the target', () => {
    const keyframes = every(5.005, 300);
    const chunks = planChunks(keyframes, 300, 60);
    for (const c of chunks.slice(1)) {
      expect(keyframes).toContain(c.start_s);
      expect(Math.abs(c.start_s - c.index * 60)).toBeLessThan(5.005 * c.index);
    }
    expect(chunks[1].start_s).toBe(60.06);
  });

  it('prefers a key frame on the 2 s grid near the ideal cut (no extra IDR frame), else the nearest', () => {
    // Key frames every 1.5 s: 60 is on the grid; 61.5 is not. Ideal 60 -> 60. From 60, ideal 120 (on grid).
    expect(planChunks(every(1.5, 300), 300, 60).map((c) => c.start_s)).toEqual([0, 60, 120, 180, 240]);
    // Every 5.005 s (29.97 fps, 150-frame GOP): 60.06 is nearest 60 but off the grid; 70.07 too; no grid key
    // frame within 15 s of the ideal: the nearest then.
    expect(planChunks(every(5.005, 300), 300, 60)[1].start_s).toBe(60.06);
    // 58 (on the grid, 3 s from the ideal 61) wins over 61.5 (off the grid, 0.5 s away).
    expect(planChunks([0, 58, 61.5, 120], 200, 61)[1].start_s).toBe(58);
  });

  it('never leaves a tail shorter than half a target: it joins the chunk before', () => {
    const chunks = planChunks(every(2, 130), 130, 60);
    expect(chunks.map((c) => [c.start_s, c.end_s])).toEqual([
      [0, 60],
      [60, null],
    ]);
  });

  it('follows sparse key frames (a 30 s GOP) and unsorted, duplicated input; a tie goes to the earlier key frame', () => {
    const chunks = planChunks([90, 0, 30, 30, 60, 120, 150], 180, 45);
    expect(chunks.map((c) => c.start_s)).toEqual([0, 30, 60, 90, 120]);
  });

  it('is one chunk when the source has no key frame to cut at (one at the start only)', () => {
    expect(planChunks([0], 600, 60)).toEqual([{ index: 0, start_s: 0, end_s: null }]);
    expect(planChunks([], 600, 60)).toEqual([{ index: 0, start_s: 0, end_s: null }]);
  });

  it('refuses a target that is not positive', () => {
    expect(() => planChunks([0, 2], 10, 0)).toThrow(/positive/);
  });
});
