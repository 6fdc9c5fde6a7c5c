import { ProgressStreamParser, parseProgressText, progressPercent } from './progress-parser';

// What ffmpeg 5.1 writes with -progress pipe:1 (trimmed to the keys that matter).
const START = 'frame=0\nfps=0.00\nout_time_us=N/A\nout_time_ms=N/A\nout_time=N/A\nspeed=N/A\nprogress=continue\n';
const MIDDLE =
  'frame=75\nfps=74.80\nbitrate= 512.3kbits/s\ntotal_size=196652\nout_time_us=3000000\nout_time_ms=3000000\n' +
  'out_time=00:00:03.000000\ndup_frames=0\ndrop_frames=0\nspeed=2.99x\nprogress=continue\n';
const END = 'frame=150\nout_time_us=6000000\nout_time=00:00:06.000000\nspeed=3.1x\nprogress=end\n';

describe('progress parsing', () => {
  it('parses blocks into typed fields', () => {
    const [start, middle, end] = parseProgressText(START + MIDDLE + END);
    expect(start).toMatchObject({ frame: 0, outTimeUs: undefined, speed: undefined, done: false });
    expect(middle).toMatchObject({ frame: 75, outTimeUs: 3_000_000, speed: 2.99, totalSize: 196652, done: false });
    expect(middle.fields.bitrate).toBe('512.3kbits/s');
    expect(end).toMatchObject({ frame: 150, outTimeUs: 6_000_000, done: true });
  });

  it('reassembles lines split across stdout chunks', () => {
    const parser = new ProgressStreamParser();
    const text = START + MIDDLE;
    const blocks = [...text].reduce<ReturnType<ProgressStreamParser['push']>>(
      (all, ch) => all.concat(parser.push(ch)),
      [],
    );
    expect(blocks.map((b) => b.frame)).toEqual([0, 75]);
    expect(parser.push('frame=9')).toEqual([]);
    expect(parser.push('\nprogress=end\r\n')).toEqual([expect.objectContaining({ frame: 9, done: true })]);
  });

  it('falls back to out_time_ms (microseconds despite the name), then to out_time', () => {
    expect(parseProgressText('out_time_ms=1500000\nprogress=continue')[0].outTimeUs).toBe(1_500_000);
    expect(parseProgressText('out_time=01:02:03.500000\nprogress=continue')[0].outTimeUs).toBe(3_723_500_000);
  });

  it('ignores the negative position ffmpeg prints before the first frame', () => {
    expect(parseProgressText('out_time_us=-9223372036854775807\nprogress=continue')[0].outTimeUs).toBeUndefined();
  });

  it('computes percent of the expected duration, clamped, 100 at the end', () => {
    const [start, middle, end] = parseProgressText(START + MIDDLE + END);
    expect(progressPercent(start, 6)).toBeUndefined();
    expect(progressPercent(middle, 6)).toBe(50);
    expect(progressPercent(middle, 2)).toBe(100);
    expect(progressPercent(middle, 0)).toBeUndefined();
    expect(progressPercent(end, 60)).toBe(100);
  });
});
