import { DEFAULT_SEGMENT_SECONDS } from '@tf/media';
import { hlsConfigFromEnv } from './hls.config';

describe('hls config', () => {
  it('reads its variables, with the defaults when unset', () => {
    expect(hlsConfigFromEnv({})).toMatchObject({ segmentSeconds: DEFAULT_SEGMENT_SECONDS, publicRead: false });
    expect(
      hlsConfigFromEnv({ TF_HLS_SEGMENT_SECONDS: '2', TF_HLS_PUBLIC_READ: 'true', TF_WORK_DIR: '/scratch' }),
    ).toEqual({ segmentSeconds: 2, publicRead: true, workDir: '/scratch' });
  });

  it('refuses values it cannot use, naming the variable (NaN segments, and "yes" read as false, before)', () => {
    expect(() => hlsConfigFromEnv({ TF_HLS_SEGMENT_SECONDS: 'six' })).toThrow(
      /TF_HLS_SEGMENT_SECONDS must be an integer number/,
    );
    expect(() => hlsConfigFromEnv({ TF_HLS_PUBLIC_READ: 'yes' })).toThrow(/TF_HLS_PUBLIC_READ must be true or false/);
  });
});
