import { jobTimeoutMs, transcriberConfigFromEnv } from './transcriber.config';

describe('transcriber config', () => {
  it('defaults to the OS temp dir and a timeout derived from the duration', () => {
    const config = transcriberConfigFromEnv({});
    expect(config.timeoutS).toBeNull();
    expect(config.workDir).toBeTruthy();
    expect(jobTimeoutMs(config, 20)).toBe(300_000);
    expect(jobTimeoutMs(config, 3600)).toBe(3 * 3600_000);
    expect(jobTimeoutMs(config, Number.NaN)).toBe(300_000);
  });

  it('uses TF_TRANSCRIBE_TIMEOUT_S and TF_WORK_DIR when set', () => {
    const config = transcriberConfigFromEnv({ TF_TRANSCRIBE_TIMEOUT_S: '45', TF_WORK_DIR: '/scratch' });
    expect(config).toEqual({ workDir: '/scratch', timeoutS: 45 });
    expect(jobTimeoutMs(config, 3600)).toBe(45_000);
  });

  it('refuses a timeout that is not a positive number', () => {
    expect(() => transcriberConfigFromEnv({ TF_TRANSCRIBE_TIMEOUT_S: 'ten' })).toThrow(/TF_TRANSCRIBE_TIMEOUT_S/);
    expect(() => transcriberConfigFromEnv({ TF_TRANSCRIBE_TIMEOUT_S: '0' })).toThrow(/TF_TRANSCRIBE_TIMEOUT_S/);
  });
});
