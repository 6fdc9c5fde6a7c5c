import { ConfigError } from '@tf/config';
import { whisperSettingsFromEnv } from './whisper-settings';

describe('whisperSettingsFromEnv', () => {
  it('defaults to the evaluated choice: base, beam 5, VAD, word timestamps, batched only for long audio', () => {
    expect(whisperSettingsFromEnv({})).toEqual({
      model: 'base',
      threads: 2,
      beamSize: 5,
      computeType: 'int8',
      vad: true,
      wordTimestamps: true,
      batchSize: 8,
      batchMinAudioS: 60,
      niceness: 10,
    });
  });

  it('reads every TF_WHISPER_* variable', () => {
    expect(
      whisperSettingsFromEnv({
        TF_WHISPER_MODEL: 'small',
        TF_WHISPER_MODEL_DIR: '/models/x',
        TF_WHISPER_THREADS: '4',
        TF_WHISPER_BEAM_SIZE: '1',
        TF_WHISPER_COMPUTE_TYPE: 'float32',
        TF_WHISPER_VAD: 'false',
        TF_WHISPER_WORD_TIMESTAMPS: 'FALSE',
        TF_WHISPER_BATCH_SIZE: '16',
        TF_WHISPER_BATCH_MIN_AUDIO_S: '300',
        TF_WHISPER_NICE: '0',
      }),
    ).toEqual({
      model: 'small',
      modelDir: '/models/x',
      threads: 4,
      beamSize: 1,
      computeType: 'float32',
      vad: false,
      wordTimestamps: false,
      batchSize: 16,
      batchMinAudioS: 300,
      niceness: 0,
    });
  });

  it.each([
    ['TF_WHISPER_MODEL', 'large'],
    ['TF_WHISPER_BEAM_SIZE', '0'],
    ['TF_WHISPER_BEAM_SIZE', 'five'],
    ['TF_WHISPER_VAD', 'yes'],
    ['TF_WHISPER_BATCH_SIZE', '0'],
    ['TF_WHISPER_BATCH_MIN_AUDIO_S', '-1'],
    ['TF_WHISPER_COMPUTE_TYPE', 'float16'],
  ])('refuses %s=%s with a ConfigError naming it', (name, value) => {
    expect(() => whisperSettingsFromEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => whisperSettingsFromEnv({ [name]: value })).toThrow(name);
  });
});
