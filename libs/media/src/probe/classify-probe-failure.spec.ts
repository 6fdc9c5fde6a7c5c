import { classifyProbeFailure, isInfrastructureFailure } from './classify-probe-failure';

describe('classifyProbeFailure', () => {
  const frameSeek = '[mp3 @ 0x55] Failed to read frame size: Could not seek to 2047.\nhttp://s3/raw: Invalid argument';

  it('leaves a storage failure in the middle of a read retryable, whatever ffprobe said last', async () => {
    const stderr = `[http @ 0x55] HTTP error 503 Service Unavailable\n${frameSeek}`;
    expect(isInfrastructureFailure(stderr)).toBe(true);
    const error = new Error(stderr);
    expect(await classifyProbeFailure('/work/source.mp4', error)).toBe(error);
  });

  it('does not take a demuxer reading past the end of its bytes for an I/O fault', () => {
    expect(isInfrastructureFailure(frameSeek)).toBe(false);
  });
});
