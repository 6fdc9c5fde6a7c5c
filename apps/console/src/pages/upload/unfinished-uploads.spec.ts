import type { RememberedUpload } from './transfer/resume-store';
import { unfinishedUploads } from './unfinished-uploads';

const remembered = (upload_id: string, name: string): RememberedUpload => ({
  upload_id,
  file: { name, size: 100, lastModified: 1 },
  expires_at: '2026-12-06T20:00:00Z',
  part_count: 3,
  parts: {},
});
const item = (name: string, state: string, uploadId: string | null = null) => ({
  file: { name, size: 100, lastModified: 1 },
  state,
  uploadId,
});

describe('unfinishedUploads', () => {
  it('never offers an upload the page is still queueing, sending or completing', () => {
    const all = [remembered('u1', 'a.mp4'), remembered('u2', 'b.mp4'), remembered('u3', 'c.mp4')];
    const items = [item('a.mp4', 'queued'), item('b.mp4', 'completing', 'u2'), item('x.mp4', 'sending', 'u3')];
    expect(unfinishedUploads(all, items)).toEqual([]);
  });

  it('offers one whose transfer on this page failed or was stopped', () => {
    const all = [remembered('u1', 'a.mp4')];
    expect(unfinishedUploads(all, [item('a.mp4', 'failed', 'u1')])).toEqual(all);
    expect(unfinishedUploads(all, [])).toEqual(all);
  });
});
