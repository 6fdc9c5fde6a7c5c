import { buildExtractArgs, buildSilenceArgs } from './extract-audio';

describe('extractSpeechAudio arguments', () => {
  it('asks for the first audio stream as 16 kHz mono PCM WAV, without video', () => {
    const args = buildExtractArgs('/in/video.mp4', '/out/a.wav');
    expect(args).toEqual(expect.arrayContaining(['-vn', '-sn', '-dn']));
    const after = (flag: string) => args[args.indexOf(flag) + 1];
    expect(after('-i')).toBe('/in/video.mp4');
    expect(after('-map')).toBe('0:a:0?');
    expect(after('-ac')).toBe('1');
    expect(after('-ar')).toBe('16000');
    expect(after('-c:a')).toBe('pcm_s16le');
    expect(args[args.length - 1]).toBe('/out/a.wav');
    expect(args).not.toContain('-reconnect');
  });

  it('streams URL inputs with reconnects and an I/O timeout before -i', () => {
    const url = 'http://127.0.0.1:9000/b/k.mp4?X-Amz-Signature=abc';
    const args = buildExtractArgs(url, '/out/a.wav');
    expect(args.indexOf('-reconnect')).toBeGreaterThan(-1);
    expect(args.indexOf('-rw_timeout')).toBeLessThan(args.indexOf('-i'));
    expect(args[args.indexOf('-i') + 1]).toBe(url);
  });

  it('writes silence of the media duration (at least 0.1 s)', () => {
    expect(buildSilenceArgs(12.3456, '/o.wav')).toEqual(expect.arrayContaining(['-t', '12.346', 'anullsrc=r=16000:cl=mono']));
    expect(buildSilenceArgs(0, '/o.wav')).toEqual(expect.arrayContaining(['-t', '0.100']));
  });
});
