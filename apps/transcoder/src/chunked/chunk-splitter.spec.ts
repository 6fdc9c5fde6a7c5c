import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VideoValidated } from '@tf/contracts';
import { probeMedia, runFfmpeg } from '@tf/media';
import type { ObjectStorage } from '@tf/storage';
import type { TranscoderConfig } from '../transcoder.config';
import type { ChunkRunsRepository } from './chunk-runs.repository';
import { ChunkSplitter } from './chunk-splitter.service';

jest.setTimeout(60_000);

/** An 8 s 30 fps clip, a key frame every second; `jitter` moves every third frame 12 ms late (a variable frame rate). */
async function makeClip(path: string, jitter: boolean): Promise<string> {
  await runFfmpeg([
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x240:rate=30:duration=8',
    // A fine time base end to end (filter, encoder, track) so the 12 ms survive; passthrough keeps each frame's time.
    ...(jitter
      ? [
          '-vf',
          "settb=1/90000,setpts='N/(30*TB)+if(eq(mod(N,3),1),0.012,0)/TB'",
          '-vsync',
          'passthrough',
          '-enc_time_base:v',
          '1:90000',
          '-video_track_timescale',
          '90000',
        ]
      : []),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    '30',
    '-keyint_min',
    '30',
    '-sc_threshold',
    '0',
    '-pix_fmt',
    'yuv420p',
    path,
  ]);
  return path;
}

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
    dir = await mkdtemp(join(tmpdir(), 'tf-splitter-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

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
