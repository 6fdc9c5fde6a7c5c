import { onFrameGrid, splitRefusal } from './split-eligibility';

describe('splitRefusal (may a long source be split?)', () => {
  it('splits a constant-frame-rate source up to the cap', () => {
    expect(splitRefusal({ fps: 25 }, { offGridFrames: 0 })).toBeNull();
    expect(splitRefusal({ fps: 30000 / 1001 }, { offGridFrames: 0 })).toBeNull();
    expect(splitRefusal({ fps: 60 }, { offGridFrames: 0 })).toBeNull();
  });

  it('keeps the single pass for a variable frame rate, a rate above the cap, or an unknown rate', () => {
    expect(splitRefusal({ fps: 30 }, { offGridFrames: 1 })).toBe('variable_frame_rate');
    expect(splitRefusal({ fps: 120 }, { offGridFrames: 0 })).toBe('frame_rate_above_cap');
    expect(splitRefusal({ fps: 60.01 }, { offGridFrames: 0 })).toBe('frame_rate_above_cap');
    expect(splitRefusal({ fps: 0 }, { offGridFrames: 0 })).toBe('unknown_frame_rate');
    expect(splitRefusal({ fps: Number.NaN }, { offGridFrames: 0 })).toBe('unknown_frame_rate');
  });
});

describe('onFrameGrid', () => {
  it('takes a time n/fps from the origin within 1 ms (a millisecond time base rounds 29.97 fps by 0.5 ms)', () => {
    const fps = 30000 / 1001;
    expect(onFrameGrid(10 + 17982 / fps, 10, fps)).toBe(true);
    expect(onFrameGrid(Math.round((300 / fps) * 1000) / 1000, 0, fps)).toBe(true);
    expect(onFrameGrid(1 / 30 + 0.012, 0, 30)).toBe(false);
    expect(onFrameGrid(0.5 / 30, 0, 30)).toBe(false);
  });
});
