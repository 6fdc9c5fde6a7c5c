import type { VideoValidated } from '@tf/contracts';
import { chunkRequest, chunkRequestKey, chunkThumbnails } from './chunk-requests';

const validated = {
  event_id: '00000000-0000-4000-8000-00000000000a',
  job_id: 'job-1',
  source: { bucket: 'raw-videos', key: 'job-1/source.mp4', bytes: 1, content_type: 'video/mp4' },
  spec: { priority: 'high' },
  media: { duration_s: 300 },
} as unknown as VideoValidated;

describe('chunk requests', () => {
  it('keys video chunks <job_id>:<index> (spread over partitions), the audio and the assembly by name', () => {
    const video = chunkRequest(validated, 2, 5, 'video', { index: 3, start_s: 180.02, end_s: 240 });
    expect(video).toMatchObject({
      job_id: 'job-1',
      attempt: 2,
      run_id: validated.event_id,
      part: 'video',
      index: 3,
      chunk_count: 5,
      start_s: 180.02,
      end_s: 240,
      source: validated.source,
      spec: validated.spec,
    });
    expect(video.event_id).not.toBe(validated.event_id);
    expect(chunkRequestKey(video)).toBe('job-1:3');
    expect(chunkRequestKey(chunkRequest(validated, 1, 5, 'audio'))).toBe('job-1:audio');
    const assemble = chunkRequest(validated, 1, 5, 'assemble');
    expect(chunkRequestKey(assemble)).toBe('job-1:assemble');
    expect(assemble).toMatchObject({ index: -1, start_s: 0, end_s: null });
  });

  it("gives each chunk the job's thumbnails inside its range, numbered as in the whole job", () => {
    // 10/30/50/70/90 % of 300 s: 30, 90, 150, 210, 270.
    expect(chunkThumbnails(300, { index: 0, start_s: 0, end_s: 90 })).toEqual([{ number: 1, time_s: 30 }]);
    expect(chunkThumbnails(300, { index: 1, start_s: 90, end_s: 210 })).toEqual([
      { number: 2, time_s: 90 },
      { number: 3, time_s: 150 },
    ]);
    expect(chunkThumbnails(300, { index: 2, start_s: 210, end_s: null }).map((t) => t.number)).toEqual([4, 5]);
  });
});
