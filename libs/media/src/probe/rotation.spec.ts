import { isSideways, normalizeQuarterTurn, readRotation } from './rotation';

describe('readRotation', () => {
  it('reads the display matrix (counter-clockwise) as a clockwise turn', () => {
    expect(readRotation({ rotation: -90 })).toBe(90);
    expect(readRotation({ rotation: '-90' })).toBe(90); // fluent-ffmpeg keeps negative numbers as strings
    expect(readRotation({ rotation: 90 })).toBe(270);
    expect(readRotation({ rotation: 180 })).toBe(180);
  });

  it('falls back to the legacy rotate tag, which is already clockwise', () => {
    expect(readRotation({ tags: { rotate: '90' } })).toBe(90);
    expect(readRotation({ tags: { rotate: 270 } })).toBe(270);
  });

  it('prefers the display matrix over the tag', () => {
    expect(readRotation({ rotation: -90, tags: { rotate: '180' } })).toBe(90);
  });

  it('is 0 without either', () => {
    expect(readRotation({})).toBe(0);
    expect(readRotation({ rotation: 'N/A' })).toBe(0);
  });

  it('snaps to quarter turns', () => {
    expect(normalizeQuarterTurn(-270)).toBe(90);
    expect(normalizeQuarterTurn(450)).toBe(90);
    expect(normalizeQuarterTurn(89.9)).toBe(90);
    expect(normalizeQuarterTurn(360)).toBe(0);
  });

  it('knows which turns swap width and height', () => {
    expect([0, 90, 180, 270].map(isSideways)).toEqual([false, true, false, true]);
  });
});
