import { higherLanesThan, laneTopic, lanesOf, parseLaneTopic } from './priority';

describe('priority lanes', () => {
  it('keeps the base name for normal and suffixes the others', () => {
    expect(lanesOf('tf.video.validated')).toEqual([
      'tf.video.validated.high',
      'tf.video.validated',
      'tf.video.validated.low',
    ]);
    expect(laneTopic('t')).toBe('t');
  });

  it('parses lane topics back', () => {
    expect(parseLaneTopic('tf.video.validated.high')).toEqual({ base: 'tf.video.validated', priority: 'high' });
    expect(parseLaneTopic('tf.video.validated')).toEqual({ base: 'tf.video.validated', priority: 'normal' });
  });

  it('names the lanes a message must yield to', () => {
    expect(higherLanesThan('t.low')).toEqual(['t.high', 't']);
    expect(higherLanesThan('t')).toEqual(['t.high']);
    expect(higherLanesThan('t.high')).toEqual([]);
  });
});
