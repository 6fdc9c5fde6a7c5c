import { Logger } from '@nestjs/common';
import type { DirectPublisher } from '@tf/messaging';
import type { StageOptions } from '../stage-options';
import { JobProgressReporter } from './job-progress.reporter';

beforeAll(() => Logger.overrideLogger(false));

describe('JobProgressReporter.started', () => {
  const options = { service: 'transcoder', stage: 'transcode', progressIntervalMs: 2000 } as StageOptions;
  it("publishes the stage's JobProgress at 0 % (the started reading)", async () => {
    const publish = jest.fn().mockResolvedValue(undefined);
    await new JobProgressReporter({ publish } as unknown as DirectPublisher, options).started('job-1', 3);
    expect(publish).toHaveBeenCalledWith(
      'JobProgress',
      expect.objectContaining({ job_id: 'job-1', attempt: 3, stage: 'transcode', percent: 0, next_attempt_at: null }),
    );
  });

  it('never fails the job when the reading cannot be sent', async () => {
    const publish = jest.fn().mockRejectedValue(new Error('not sent within 2000 ms'));
    const reporter = new JobProgressReporter({ publish } as unknown as DirectPublisher, options);
    await expect(reporter.started('job-1', 1)).resolves.toBeUndefined();
    expect(publish).toHaveBeenCalledTimes(1);
  });
});

describe('JobProgressReporter: the started reading and the run’s own readings', () => {
  const options = { service: 'transcriber', stage: 'transcribe', progressIntervalMs: 2000 } as StageOptions;
  it('does not publish the run’s own 0 % again after the started reading; later readings follow', async () => {
    const publish = jest.fn().mockResolvedValue(undefined);
    const reporter = new JobProgressReporter({ publish } as unknown as DirectPublisher, options);
    await reporter.started('job-1', 1);
    const sink = reporter.forJob('job-1', 1);
    sink.report(0);
    sink.report(100);
    await sink.close();
    // Another attempt that reports no start (or a stage without the started reading) keeps its own first 0 %.
    const other = reporter.forJob('job-1', 2);
    other.report(0);
    await other.close();
    expect(publish.mock.calls.map(([, e]) => [e.attempt, e.percent])).toEqual([
      [1, 0],
      [1, 100],
      [2, 0],
    ]);
  });
});

describe('JobProgressReporter: a slow Kafka', () => {
  const options = { service: 'transcoder', stage: 'transcode', progressIntervalMs: 0 } as StageOptions;

  it('keeps one reading on its way and the newest waiting: older waiting ones are dropped, close() waits for the last', async () => {
    const sends: Array<{ percent: number; done: () => void }> = [];
    const publish = jest.fn(
      (_type: string, e: { percent: number }) =>
        new Promise<void>((resolve) => sends.push({ percent: e.percent, done: resolve })),
    );
    const sink = new JobProgressReporter({ publish } as unknown as DirectPublisher, options).forJob('job-1', 1);
    sink.report(10);
    sink.report(20);
    sink.report(30);
    sink.report(100);
    let closed = false;
    const closing = sink.close().then(() => (closed = true));
    // 10 is on its way; 20 and 30 were replaced while they waited; 100 waits.
    expect(sends.map((s) => s.percent)).toEqual([10]);
    sends[0].done();
    await new Promise((r) => setImmediate(r));
    expect(sends.map((s) => s.percent)).toEqual([10, 100]);
    expect(closed).toBe(false);
    sends[1].done();
    await closing;
    expect(publish).toHaveBeenCalledTimes(2);
  });
});
