import { join } from 'node:path';
import type { VideoValidated } from '@tf/contracts';
import { probeMedia } from '@tf/media';
import type { ObjectStorage } from '@tf/storage';
import { makeClip as makeLavfiClip, makeTempDir, removeDir } from '../../../../libs/media/src/testing/lavfi-fixtures';
import type { TranscoderConfig } from '../transcoder.config';
import type { ChunkRunsRepository } from './chunk-runs.repository';
import { ChunkSplitter } from './chunk-splitter.service';

jest.setTimeout(60_000);

/** An 8 s 30 fps clip, a key frame every second; `jitter` moves every third frame 12 ms late (a variable frame rate). */
const makeClip = (path: string, jitter: boolean) =>
  makeLavfiClip(path, {
    width: 320,
    height: 240,
    durationS: 8,
    fps: 30,
    audio: false,
    keyframeEveryFrames: 30,
    ...(jitter ? { lateEveryThirdFrameMs: 12 } : {}),
  });

/** The splitter's decision on real files (the presigned URL replaced by the local path): split, or single pass. */
describe('ChunkSplitter.plan (real ffprobe)', () => {
  let dir: string;
  const config = { chunkThresholdS: 4, chunkTargetS: 2 } as TranscoderConfig;
  const planFor = async (path: string) => {
    const storage = { stat: async () => true, presignGet: async () => path } as unknown as ObjectStorage;
    const splitter = new ChunkSplitter(storage, {} as ChunkRunsRepository, config);
    const validated = {
      job_id: 'job-1',
      source: { bucket: 'raw', key: 'k' },
      media: await probeMedia(path),
    } as unknown as VideoValidated;
    expect(splitter.wantsSplit(validated)).toBe(true);
    return splitter.plan(validated);
  };

  beforeAll(async () => {
    dir = await makeTempDir('tf-splitter-');
  });
  afterAll(() => removeDir(dir));

  it('cuts a constant-frame-rate source at its key frames', async () => {
    const chunks = await planFor(await makeClip(join(dir, 'cfr.mp4'), false));
    expect(chunks?.map((c) => c.start_s)).toEqual([0, 2, 4, 6]);
  });

  it('keeps the single pass for a variable-frame-rate source (its frames are off any constant grid)', async () => {
    const path = await makeClip(join(dir, 'vfr.mp4'), true);
    expect((await probeMedia(path)).duration_s).toBeGreaterThan(4);
    expect(await planFor(path)).toBeNull();
  });
});
