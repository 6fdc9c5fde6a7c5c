import { ProgressThrottle } from './progress-throttle';

describe('ProgressThrottle', () => {
  let clock: number;
  let throttle: ProgressThrottle;
  beforeEach(() => {
    clock = 0;
    throttle = new ProgressThrottle(2000, () => clock);
  });
  const at = (ms: number, percent: number) => {
    clock = ms;
    return throttle.offer(percent);
  };

  it('passes the first update, then at most one per interval', () => {
    expect(at(0, 1.234)).toBe(1.2);
    expect(at(500, 10)).toBeUndefined();
    expect(at(1999, 20)).toBeUndefined();
    expect(at(2000, 30)).toBe(30);
    expect(at(3000, 40)).toBeUndefined();
    expect(at(4100, 50)).toBe(50);
  });

  it('always passes 100 %, even right after another event, and only once', () => {
    expect(at(0, 5)).toBe(5);
    expect(at(10, 100)).toBe(100);
    expect(at(5000, 100)).toBeUndefined();
  });

  it('never goes backwards or repeats a value', () => {
    expect(at(0, 50)).toBe(50);
    expect(at(3000, 40)).toBeUndefined();
    expect(at(6000, 50.01)).toBeUndefined();
    expect(at(9000, 60)).toBe(60);
  });

  it('clamps out-of-range input', () => {
    expect(at(0, -3)).toBe(0);
    expect(at(2000, 130)).toBe(100);
  });
});
