import { buildSpeechAudioArgs } from '@tf/media';
import { silentWav } from './extract-audio';

describe('extractSpeechAudio', () => {
  it('decodes through the restricted media input: 16 kHz mono PCM WAV of the first audio stream, no video', () => {
    const args = buildSpeechAudioArgs('/in/video.mp4', '/out/a.wav');
    const after = (flag: string) => args[args.indexOf(flag) + 1];
    expect(after('-i')).toBe('file:/in/video.mp4');
    expect(after('-protocol_whitelist')).toBe('file');
    expect(after('-format_whitelist')).not.toMatch(/hls|concat|image2/);
    expect(after('-map')).toBe('0:a:0?');
    expect([after('-ac'), after('-ar'), after('-c:a')]).toEqual(['1', '16000', 'pcm_s16le']);
    expect(args).toEqual(expect.arrayContaining(['-vn', '-sn', '-dn']));
    expect(args[args.length - 1]).toBe('/out/a.wav');
  });

  it('writes silence of the media duration (at least 0.1 s) as a valid WAV', () => {
    const wav = silentWav(12.3456);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(16000);
    expect(wav.readUInt32LE(40)).toBe(Math.round(12.3456 * 16000) * 2);
    expect(silentWav(0).readUInt32LE(40)).toBe(1600 * 2);
  });
});
