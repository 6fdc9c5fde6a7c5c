import { Injectable, OnModuleInit } from '@nestjs/common';
import { metricsRegistry } from '@tf/observability';
import { Counter, Gauge, Histogram } from 'prom-client';
import { JOB_STATUSES } from './job-record';
import { JobsRepository } from './jobs.repository';

// The "Jobs" metrics of docs/operations.md. Labels stay bounded: the job status, the outcome and a
// documented job error code (libs/errors), never a job id or a tenant.

/** How a job ended; `cancelled` comes from the job control, the others from the tracker. */
type JobOutcome = 'completed' | 'failed' | 'cancelled';

/** A job that just reached a final state, as the tracker or the job control saw it commit. */
export interface JobFinish {
  outcome: JobOutcome;
  /** The documented job error code of a failed job; null otherwise. */
  errorCode: string | null;
  /** Accepted (the job row's created_at) → final state. */
  durationSeconds: number;
}

const finished = new Counter({
  name: 'tf_jobs_finished_total',
  help: 'Jobs that reached a final state, by outcome (completed, failed, cancelled) and job error code ("" when none). A retried job that ends again counts again.',
  labelNames: ['outcome', 'error_code'] as const,
  registers: [metricsRegistry],
});

const duration = new Histogram({
  name: 'tf_job_duration_seconds',
  help: 'Time from the upload accepted (job created) to the final state, by outcome.',
  labelNames: ['outcome'] as const,
  buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200],
  registers: [metricsRegistry],
});

const queueWait = new Histogram({
  name: 'tf_job_queue_wait_seconds',
  help: 'Time from the upload accepted (job created) to the first stage (validation) reporting it started the work.',
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
  registers: [metricsRegistry],
});

/** Called once the transaction that made the change committed, so a rolled-back attempt counts nothing. */
export const jobMetrics = {
  finished(f: JobFinish): void {
    finished.inc({ outcome: f.outcome, error_code: f.errorCode ?? '' });
    duration.observe({ outcome: f.outcome }, Math.max(0, f.durationSeconds));
  },
  queueWait(seconds: number): void {
    queueWait.observe(Math.max(0, seconds));
  },
};

/**
 * tf_jobs{status}: the jobs table read at scrape time with one GROUP BY (every status listed, 0 when none).
 * Each gateway replica exports the same numbers (one table): aggregate with max(), not sum(). A failed
 * read exports no series, so the gap shows instead of a wrong count.
 */
@Injectable()
export class JobsGauge implements OnModuleInit {
  constructor(private readonly jobs: JobsRepository) {}

  onModuleInit(): void {
    const name = 'tf_jobs';
    // One gauge per registry: a second app in the same process (tests) reads through its own repository.
    if (metricsRegistry.getSingleMetric(name)) metricsRegistry.removeSingleMetric(name);
    const jobs = this.jobs;
    new Gauge({
      name,
      help: 'Jobs by status (queued, processing, completed, failed, cancelled), read from the gateway jobs table at scrape time.',
      labelNames: ['status'] as const,
      registers: [metricsRegistry],
      async collect() {
        this.reset();
        const rows = await jobs.countByStatus().catch(() => null);
        if (!rows) return;
        const counts = new Map(rows.map((r) => [r.status, Number(r.jobs)]));
        for (const status of JOB_STATUSES) this.set({ status }, counts.get(status) ?? 0);
      },
    });
  }
}
