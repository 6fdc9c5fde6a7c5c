import { tmpdir } from 'node:os';
import { stageEnv } from './stage.env';

describe('stage settings', () => {
  it('defaults to the OS temp dir and 2 s between progress events', () => {
    expect(stageEnv({})).toMatchObject({ TF_WORK_DIR: tmpdir(), TF_PROGRESS_INTERVAL_MS: 2000 });
    expect(stageEnv({ TF_WORK_DIR: '/scratch', TF_PROGRESS_INTERVAL_MS: '500' })).toMatchObject({
      TF_WORK_DIR: '/scratch',
      TF_PROGRESS_INTERVAL_MS: 500,
    });
  });

  it('refuses a progress interval that is not a whole number of ms, naming it', () => {
    expect(() => stageEnv({ TF_PROGRESS_INTERVAL_MS: '2s' })).toThrow(
      /TF_PROGRESS_INTERVAL_MS must be an integer number/,
    );
  });
});
