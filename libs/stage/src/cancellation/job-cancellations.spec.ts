import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { JobCancellations, JobCancelledError } from './job-cancellations';

beforeAll(() => Logger.overrideLogger(false));

/** job_cancellations in memory: the two statements JobCancellations runs. */
function fakeTable() {
  const rows = new Set<string>();
  const dataSource = {
    query: jest.fn(async (sql: string, [jobId]: [string]) => {
      if (sql.startsWith('SELECT')) return rows.has(jobId) ? [{ '?column?': 1 }] : [];
      rows.add(jobId);
      return [];
    }),
  };
  return { rows, cancellations: new JobCancellations(dataSource as unknown as DataSource) };
}

/** Work the test settles by hand; it rejects with the signal's reason when aborted, as ffmpeg's runner does. */
function controllableWork<T>() {
  let resolve!: (v: T) => void;
  let signal!: AbortSignal;
  let ready!: () => void;
  const started = new Promise<void>((r) => (ready = r));
  const work = (s: AbortSignal): Promise<T> => {
    signal = s;
    ready();
    return new Promise<T>((res, rej) => {
      resolve = res;
      s.addEventListener('abort', () => rej(s.reason), { once: true });
    });
  };
  return { work, started, resolve: (v: T) => resolve(v), signal: () => signal };
}

describe('JobCancellations', () => {
  it('passes the value through when nothing was cancelled', async () => {
    const { cancellations } = fakeTable();
    await expect(cancellations.run('job-1', async () => 42)).resolves.toEqual({ cancelled: false, value: 42 });
    expect(cancellations.runningJobs()).toEqual([]);
  });

  it('does not start the work of a job already known as cancelled', async () => {
    const { rows, cancellations } = fakeTable();
    rows.add('job-1');
    const work = jest.fn();
    await expect(cancellations.run('job-1', work)).resolves.toEqual({ cancelled: true });
    expect(work).not.toHaveBeenCalled();
  });

  it('aborts the running work of the cancelled job only, records it, and reports cancelled instead of the error', async () => {
    const { rows, cancellations } = fakeTable();
    const one = controllableWork<number>();
    const other = controllableWork<number>();
    const running = cancellations.run('job-1', one.work);
    const unaffected = cancellations.run('job-2', other.work);
    await Promise.all([one.started, other.started]);
    expect(cancellations.runningJobs().sort()).toEqual(['job-1', 'job-2']);

    await expect(cancellations.cancelled('job-1')).resolves.toBe(1);
    expect(one.signal().aborted).toBe(true);
    expect(one.signal().reason).toBeInstanceOf(JobCancelledError);
    expect(other.signal().aborted).toBe(false);
    expect(rows.has('job-1')).toBe(true);
    await expect(running).resolves.toEqual({ cancelled: true });

    other.resolve(7);
    await expect(unaffected).resolves.toEqual({ cancelled: false, value: 7 });
  });

  it('reports cancelled when the cancel came (through another instance) while the work finished', async () => {
    const { rows, cancellations } = fakeTable();
    const w = controllableWork<string>();
    const running = cancellations.run('job-1', w.work);
    await w.started;
    rows.add('job-1'); // recorded by another instance; this one never saw the broadcast
    w.resolve('done');
    await expect(running).resolves.toEqual({ cancelled: true });
  });

  it('rethrows the failure of a job that was not cancelled (the transport retries it)', async () => {
    const { cancellations } = fakeTable();
    await expect(cancellations.run('job-1', async () => Promise.reject(new Error('disk full')))).rejects.toThrow(
      'disk full',
    );
  });

  it('turns a failure of a job cancelled meanwhile into cancelled', async () => {
    const { rows, cancellations } = fakeTable();
    const outcome = cancellations.run('job-1', async () => {
      rows.add('job-1');
      throw new Error('source vanished');
    });
    await expect(outcome).resolves.toEqual({ cancelled: true });
  });

  it('records a cancel with no run here, and aborts nothing', async () => {
    const { rows, cancellations } = fakeTable();
    await expect(cancellations.cancelled('job-9')).resolves.toBe(0);
    expect(rows.has('job-9')).toBe(true);
    expect(await cancellations.isCancelled('job-9')).toBe(true);
  });
});
