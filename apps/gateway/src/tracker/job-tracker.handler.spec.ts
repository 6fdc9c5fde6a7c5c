import { metricsRegistry } from '@tf/observability';
import type { KafkaAvroContext } from '@tf/messaging';
import type { CancelledJobOutputs } from './cancelled-job-outputs';
import type { TrackerOutcome } from './apply-tracker-event';
import { JobTrackerHandler } from './job-tracker.handler';
import type { JobTrackerService } from './job-tracker.service';
import { job, packaged, spec } from './tracker-fixtures';

const finishedCount = async () =>
  ((await metricsRegistry.getSingleMetric('tf_jobs_finished_total')?.get())?.values ?? [])
    .filter((v) => v.labels.outcome === 'completed')
    .reduce((sum, v) => sum + v.value, 0);
const queueWaitCount = async () =>
  ((await metricsRegistry.getSingleMetric('tf_job_queue_wait_seconds')?.get())?.values ?? []).find(
    (v) => (v as { metricName?: string }).metricName === 'tf_job_queue_wait_seconds_count',
  )?.value ?? 0;

// The job metrics count what committed: a duplicate delivery (processOnce resolves false) or a rolled-back
// transaction (processOnce rejects, the transport retries) counts nothing.
describe('JobTrackerHandler metrics', () => {
  const outcome: TrackerOutcome = {
    job: job(),
    changes: [],
    completedOutputs: [],
    finished: { outcome: 'completed', errorCode: null, durationSeconds: 20 },
    queueWaitSeconds: 1.5,
  };
  const handlerWith = (processOnce: KafkaAvroContext['processOnce']) => {
    const tracker = { apply: async () => outcome } as unknown as JobTrackerService;
    const handler = new JobTrackerHandler(tracker, {} as CancelledJobOutputs);
    const ctx = { processOnce } as unknown as KafkaAvroContext;
    const e = packaged(spec(), true);
    return () => handler.onVideoPackaged(e.event as never, ctx);
  };

  it('counts a job finished (and its queue wait) once its transaction committed', async () => {
    const before = [await finishedCount(), await queueWaitCount()];
    await handlerWith(async (apply) => {
      await apply({} as never, {} as never);
      return true;
    })();
    expect([await finishedCount(), await queueWaitCount()]).toEqual([before[0] + 1, before[1] + 1]);
  });

  it('counts nothing for a duplicate delivery or a failed transaction', async () => {
    const before = [await finishedCount(), await queueWaitCount()];
    await handlerWith(async (apply) => {
      await apply({} as never, {} as never);
      return false;
    })();
    await expect(
      handlerWith(async (apply) => {
        await apply({} as never, {} as never);
        throw new Error('serialization failure');
      })(),
    ).rejects.toThrow('serialization failure');
    expect([await finishedCount(), await queueWaitCount()]).toEqual(before);
  });
});
