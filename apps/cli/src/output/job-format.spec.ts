import type { Job } from '../api';
import { JobProgressModel, formatBytes, formatJob, formatJobPage } from './job-format';

type Stage = Job['timeline'][number];
// A timeline entry with only what the formatter reads set (the client's types are the API's, every field present).
const stage = (name: string, status: Stage['status'], progress: number | null): Stage => ({
  stage: name,
  status,
  progress,
  queued_at: null,
  started_at: null,
  finished_at: null,
  detail: null,
  retry: null,
});

const job = (over: Partial<Job> = {}): Job => ({
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
  overall_progress: 0,
  skipped: [],
  playback: null,
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
    const page = formatJobPage({
      jobs: [
        {
          job_id: 'j1',
          status: 'queued',
          overall_progress: 0,
          error: null,
          source: { filename: 'a.mp4', bytes: 10, content_type: 'video/mp4' },
          labels: [],
          attempt: 1,
          created_at: 't',
          updated_at: 't',
          completed_at: null,
          cancelled_at: null,
        },
      ],
      next_cursor: null,
    });
    expect(page[0]).toMatch(/^JOB\s+STATUS\s+CREATED\s+SIZE\s+FILE$/);
    expect(page[1]).toContain('a.mp4');
  });

  it('follows progress: the state, then stage and progress events; percent is the mean over stages', () => {
    const model = new JobProgressModel();
    // A gateway from before overall_progress existed: the bar falls back to the mean over the stages.
    const { overall_progress: _, ...older } = job();
    expect(model.apply({ event: 'state', data: older as unknown as Record<string, unknown> }).stageChanged).toBe(true);
    expect(model.stageLine).toBe('transcode running 20%');
    expect(model.percent).toBe(Math.round((100 + 100 + 20 + 0) / 4));
    expect(
      model.apply({
        event: 'progress',
        data: { status: 'processing', stage: 'transcode', stage_status: 'running', percent: 60 },
      }).stageChanged,
    ).toBe(false);
    expect(model.percent).toBe(Math.round((100 + 100 + 60 + 0) / 4));
    expect(
      model.apply({
        event: 'stage',
        data: { status: 'processing', stage: 'transcode', stage_status: 'completed', percent: 100 },
      }).stageChanged,
    ).toBe(true);
    model.apply({
      event: 'stage',
      data: { status: 'processing', stage: 'package', stage_status: 'running', percent: null },
    });
    expect(model.stageLine).toBe('package running');
    model.apply({
      event: 'completed',
      data: { status: 'completed', job: job({ status: 'completed', timeline: [stage('upload', 'completed', 100)] }) },
    });
    expect([model.status, model.percent]).toEqual(['completed', 100]);
  });

  it("follows the gateway's overall_progress (weighted by stage cost), never going back, and shows a queued stage", () => {
    const model = new JobProgressModel();
    const queued = job({
      overall_progress: 5,
      timeline: [
        stage('upload', 'completed', 100),
        stage('validate', 'completed', 100),
        stage('transcode', 'queued', null),
        stage('package', 'pending', null),
      ],
    });
    model.apply({ event: 'state', data: queued as unknown as Record<string, unknown> });
    // The old mean would say 50 % here (two of four stages done) although the expensive ones have not started.
    expect(model.percent).toBe(5);
    expect(model.stageLine).toBe('transcode queued');
    model.apply({
      event: 'progress',
      data: { status: 'processing', stage: 'transcode', stage_status: 'running', percent: 0, overall_progress: 5 },
    });
    expect([model.percent, model.stageLine]).toEqual([5, 'transcode running 0%']);
    model.apply({
      event: 'progress',
      data: { status: 'processing', stage: 'transcode', stage_status: 'running', percent: 50, overall_progress: 36.1 },
    });
    expect(model.percent).toBe(36);
    // A stream event from before (a replica's late notification) does not take the bar back.
    model.apply({
      event: 'progress',
      data: { status: 'processing', stage: 'transcode', stage_status: 'running', percent: 40, overall_progress: 30 },
    });
    expect(model.percent).toBe(36);
    model.apply({
      event: 'completed',
      data: { status: 'completed', overall_progress: 100, job: job({ status: 'completed', overall_progress: 100 }) },
    });
    expect([model.status, model.percent]).toEqual(['completed', 100]);
  });

  it('ends a job with its outputs as kind, label and size (and a total), the signed URLs only on request', () => {
    const url = (path: string) =>
      `http://127.0.0.1:9000/processed/${path}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${'c'.repeat(60)}&X-Amz-Signature=${'f'.repeat(64)}`;
    const outputs = [
      {
        kind: 'rendition' as const,
        label: '360p',
        url: url('j1/360p.mp4'),
        content_type: 'video/mp4',
        bytes: 1_572_864,
      },
      {
        kind: 'hls' as const,
        label: 'master',
        url: url('j1/hls/master.m3u8'),
        content_type: 'application/vnd.apple.mpegurl',
        bytes: 512,
      },
      {
        kind: 'thumbnail' as const,
        label: 'poster',
        url: url('j1/poster.jpg'),
        content_type: 'image/jpeg',
        bytes: 20_480,
      },
    ];
    const done = job({ status: 'completed', outputs, labels: ['ads', 'q4'] });
    const lines = formatJob(done);
    expect(lines.join('\n')).not.toContain('http');
    const rows = lines.filter((l) => /^(outputs| {8}) /.test(l));
    expect(rows).toEqual([
      'outputs  rendition  360p     1.5 MiB',
      '         hls        master     512 B',
      '         thumbnail  poster  20.0 KiB',
      '         3 output(s), 1.5 MiB; --urls shows their URLs',
    ]);
    expect(lines).toContain('labels   ads, q4');
    const withUrls = formatJob(done, { urls: true });
    for (const o of outputs) expect(withUrls.find((l) => l.includes(` ${o.label} `))).toContain(o.url);
    expect(withUrls[withUrls.length - 1]).toBe('         3 output(s), 1.5 MiB');
  });

  it('prints what an uploader chose (file name, labels) on its line: control characters are escaped', () => {
    const hostile = job({
      labels: ['a\nstatus   completed'],
      source: { filename: 'x.mp4\n\x1b[2Jjob      forged', bytes: 1, content_type: 'video/mp4', media: null },
    });
    const lines = formatJob(hostile);
    expect(lines.filter((l) => l.startsWith('status'))).toEqual(['status   processing']);
    expect(lines.filter((l) => l.startsWith('job'))).toEqual(['job      j1']);
    expect(lines).toContain('file     x.mp4\\n\\x1b[2Jjob      forged (1 B, video/mp4)');
    const page = formatJobPage({
      jobs: [
        {
          job_id: 'j2',
          status: 'queued',
          overall_progress: 0,
          error: null,
          labels: [],
          attempt: 1,
          source: { filename: 'b\r\nj3  failed', bytes: 1, content_type: 'video/mp4' },
          created_at: 't',
          updated_at: 't',
          completed_at: null,
          cancelled_at: null,
        },
      ],
      next_cursor: null,
    });
    expect(page).toHaveLength(2);
    expect(page[1]).toContain('b\\r\\nj3  failed');
  });
});
