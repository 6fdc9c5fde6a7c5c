import { EventQueue, toJobEvent } from './job-progress';

describe('jobProgress plumbing', () => {
  it('queues pushes for a reader, ends after what was queued, and reports the reader leaving', async () => {
    let left = 0;
    const queue = new EventQueue<number>(() => (left += 1));
    queue.push(1);
    const pending = queue.next();
    expect(await pending).toEqual({ value: 1, done: false });
    const waiting = queue.next();
    queue.push(2);
    expect(await waiting).toEqual({ value: 2, done: false });
    queue.push(3);
    queue.end();
    queue.push(4);
    expect(await queue.next()).toEqual({ value: 3, done: false });
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(left).toBe(0);
    await queue.return();
    expect(left).toBe(1);
  });

  it('ends a waiting reader when the stream ends', async () => {
    const queue = new EventQueue<number>(() => undefined);
    const waiting = queue.next();
    queue.end();
    expect(await waiting).toEqual({ value: undefined, done: true });
  });

  it('turns SSE events into JobEvents: state carries the job, notifications their fields', () => {
    const view = { job_id: 'j', status: 'queued', error: null } as never;
    expect(toJobEvent('state', view, 3)).toMatchObject({
      type: 'state',
      job_id: 'j',
      status: 'queued',
      version: 3,
      stage: null,
      job: view,
    });
    const n = {
      job_id: 'j',
      type: 'progress',
      status: 'processing',
      version: 4,
      stage: 'transcode',
      stage_status: 'running',
      percent: 40,
      detail: null,
      error: null,
    };
    expect(toJobEvent('progress', n, 4)).toEqual({ ...n, type: 'progress', job: null });
    const done = { ...n, type: 'completed', status: 'completed', version: 9, job: view };
    expect(toJobEvent('completed', done, 9)).toMatchObject({ type: 'completed', version: 9, job: view });
  });

  it("carries the job's overall progress (GET's overall_progress) on state and on every notification", () => {
    const view = { job_id: 'j', status: 'processing', error: null, overall_progress: 27.5 } as never;
    expect(toJobEvent('state', view, 3)).toMatchObject({ type: 'state', overall_progress: 27.5 });
    const n = { job_id: 'j', type: 'progress', status: 'processing', version: 4, stage: 'transcode', percent: 50 };
    expect(toJobEvent('progress', { ...n, overall_progress: 27.5 }, 4)).toMatchObject({ overall_progress: 27.5 });
    // A terminal notification from a replica that predates the field: the final job's number.
    expect(toJobEvent('completed', { ...n, type: 'completed', job: { overall_progress: 100 } }, 5)).toMatchObject({
      overall_progress: 100,
    });
  });
});
