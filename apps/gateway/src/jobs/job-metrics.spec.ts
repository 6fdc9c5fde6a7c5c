import { metricsRegistry } from '@tf/observability';
import { JobsGauge, jobMetrics } from './job-metrics';
import type { JobsRepository } from './jobs.repository';

const series = async (name: string) => (await metricsRegistry.getSingleMetric(name)?.get())?.values ?? [];

describe('job metrics', () => {
  it('tf_jobs reads the table at scrape time: every status, 0 when none', async () => {
    const counts = [
      { status: 'processing', jobs: 3 },
      { status: 'completed', jobs: 40 },
    ];
    new JobsGauge({ countByStatus: async () => counts } as unknown as JobsRepository).onModuleInit();
    expect(Object.fromEntries((await series('tf_jobs')).map((v) => [v.labels.status, v.value]))).toEqual({
      queued: 0,
      processing: 3,
      completed: 40,
      failed: 0,
      cancelled: 0,
    });
    counts[0].jobs = 1;
    expect((await series('tf_jobs')).find((v) => v.labels.status === 'processing')?.value).toBe(1);
  });

  it('tf_jobs exports nothing when the table cannot be read (a gap, not a wrong count)', async () => {
    new JobsGauge({
      countByStatus: async () => {
        throw new Error('database down');
      },
    } as unknown as JobsRepository).onModuleInit();
    expect(await series('tf_jobs')).toEqual([]);
  });

  it('counts a finished job by outcome and error code, and its duration by outcome', async () => {
    jobMetrics.finished({ outcome: 'failed', errorCode: 'CORRUPT_MEDIA', durationSeconds: 12 });
    jobMetrics.finished({ outcome: 'completed', errorCode: null, durationSeconds: 30 });
    const finished = await series('tf_jobs_finished_total');
    expect(finished).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ labels: { outcome: 'failed', error_code: 'CORRUPT_MEDIA' }, value: 1 }),
        expect.objectContaining({ labels: { outcome: 'completed', error_code: '' }, value: 1 }),
      ]),
    );
    const durations = await series('tf_job_duration_seconds');
    expect(durations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          metricName: 'tf_job_duration_seconds_sum',
          labels: { outcome: 'completed' },
          value: 30,
        }),
        expect.objectContaining({
          metricName: 'tf_job_duration_seconds_count',
          labels: { outcome: 'failed' },
          value: 1,
        }),
      ]),
    );
    jobMetrics.queueWait(2.5);
    expect(await series('tf_job_queue_wait_seconds')).toEqual(
      expect.arrayContaining([expect.objectContaining({ metricName: 'tf_job_queue_wait_seconds_sum', value: 2.5 })]),
    );
  });
});
