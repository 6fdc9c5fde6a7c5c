import { displayFilename, sourceContentType, sourceKey } from './source-object';

describe('source object naming', () => {
  it.each([
    ['clip.MP4', 'j/source.mp4'],
    ['a.b.mov', 'j/source.mov'],
    ['noext', 'j/source'],
    ['../../etc/passwd', 'j/source'],
    ['weird.m p4', 'j/source'],
    ['x.verylongextension', 'j/source'],
    ['', 'j/source'],
  ])('%p → %p', (filename, key) => {
    expect(sourceKey('j', filename)).toBe(key);
  });

  it('keeps only the base name for display', () => {
    expect(displayFilename('C:\\Users\\me\\clip.mp4')).toBe('clip.mp4');
    expect(displayFilename('dir/clip.mp4')).toBe('clip.mp4');
    expect(displayFilename('x'.repeat(300))).toHaveLength(255);
  });

  it('guesses a video type only when the client sent a generic one', () => {
    expect(sourceContentType('application/octet-stream', 'a.MOV')).toBe('video/quicktime');
    expect(sourceContentType('', 'a.mp4')).toBe('video/mp4');
    expect(sourceContentType('video/webm', 'a.mp4')).toBe('video/webm');
    expect(sourceContentType('application/octet-stream', 'a.bin')).toBe('application/octet-stream');
  });
});
