import { h264LevelFor, levelIdcToString } from './h264-level';

const level = (width: number, height: number, fps: number, maxBitrate = 1_000_000) =>
  h264LevelFor({ width, height, fps, maxBitrate, bufferSize: 2 * maxBitrate });

describe('h264LevelFor', () => {
  it('matches the levels encoders commonly pick', () => {
    expect(level(640, 360, 25)).toBe(30);
    expect(level(854, 480, 25)).toBe(30);
    expect(level(854, 480, 30)).toBe(31); // 1620 MBs x 30 fps is past level 3.0's 40500 MB/s
    expect(level(1280, 720, 30)).toBe(31);
    expect(level(1280, 720, 60)).toBe(32);
    expect(level(1920, 1080, 30, 5_000_000)).toBe(40);
    expect(level(1920, 1080, 60, 5_000_000)).toBe(42);
    expect(level(3840, 2160, 30, 14_000_000)).toBe(51);
  });

  it('goes up a level when the bit rate needs it', () => {
    // 4.0 allows 25 Mbit/s for High profile; 4.1 allows 62.5.
    expect(level(1920, 1080, 30, 30_000_000)).toBe(41);
  });

  it('spells levels as x264 wants them', () => {
    expect(levelIdcToString(31)).toBe('3.1');
    expect(levelIdcToString(40)).toBe('4.0');
  });
});
