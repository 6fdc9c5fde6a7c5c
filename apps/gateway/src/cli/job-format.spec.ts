import type { JobView } from '@tf/client';
import { JobProgressModel, formatBytes, formatJob, formatJobPage } from './job-format';

type Stage = JobView['timeline'][number];
// A timeline entry with only what the formatter reads set (the client's types are the API's, every field present).
const stage = (name: string, status: Stage['status'], progress: number | null): Stage => ({ stage: name, status, progress, started_at: null, finished_at: null, detail: null, retry: null });

const job = (over: Partial<JobView> = {}): JobView => ({
  job_id: 'j1',
  status: 'processing',
  error: null,
  outputs: [],
  source: { filename: 'a.mp4', bytes: 2048, content_type: 'video/mp4', media: null },
  timeline: [
    stage('upload', 'completed', 100),
    stage('validate', 'completed', 100),
    stage('transcode', 'running', 20),
    stage('package', 'pending', null),
  ],
  labels: [],
  attempt: 1,
  skipped: [],
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  completed_at: null,
  cancelled_at: null,
  ...over,
});

describe('tflow output', () => {
  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
  });

  it('shows a job and a page', () => {
    const lines = formatJob(job({ error: { code: 'NOT_MEDIA', message: 'bad' } }));
    expect(lines).toEqual(expect.arrayContaining(['job      j1', 'status   processing', 'error    NOT_MEDIA: bad']));
    expect(lines.find((l) => l.startsWith('stages'))).toContain('transcode running 20%');
    expect(formatJobPage({ jobs: [], next_cursor: null })).toEqual(['no jobs']);
    const page = formatJobPage({ jobs: [{ job_id: 'j1', status: 'queued', error: null, source: { filename: 'a.mp4', bytes: 10, content_type: 'video/mp4' }, labels: [], attempt: 1, created_at: 't', updated_at: 't', completed_at: null, cancelled_at: null }], next_cursor: null });
    expect(page[0]).toMatch(/^JOB\s+STATUS\s+CREATED\s+SIZE\s+FILE$/);
    expect(page[1]).toContain('a.mp4');
  });

  it('follows progress: the state, then stage and progress events; percent is the mean over stages', () => {
    const model = new JobProgressModel();
    expect(model.apply({ event: 'state', data: job() as unknown as Record<string, unknown> }).stageChanged).toBe(true);
    expect(model.stageLine).toBe('transcode running 20%');
    expect(model.percent).toBe(Math.round((100 + 100 + 20 + 0) / 4));
    expect(model.apply({ event: 'progress', data: { status: 'processing', stage: 'transcode', stage_status: 'running', percent: 60 } }).stageChanged).toBe(false);
    expect(model.percent).toBe(Math.round((100 + 100 + 60 + 0) / 4));
    expect(model.apply({ event: 'stage', data: { status: 'processing', stage: 'transcode', stage_status: 'completed', percent: 100 } }).stageChanged).toBe(true);
    model.apply({ event: 'stage', data: { status: 'processing', stage: 'package', stage_status: 'running', percent: null } });
    expect(model.stageLine).toBe('package running');
    model.apply({ event: 'completed', data: { status: 'completed', job: job({ status: 'completed', timeline: [stage('upload', 'completed', 100)] }) } });
    expect([model.status, model.percent]).toEqual(['completed', 100]);
  });
});
