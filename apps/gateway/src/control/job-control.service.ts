import { Injectable, Logger } from '@nestjs/common';
import { OutboxWriter } from '@tf/messaging';
import { withLogContext } from '@tf/observability';
import { ObjectStorage } from '@tf/storage';
import { DataSource, EntityManager } from 'typeorm';
import { notificationFor } from '../live/job-notification';
import { JobNotificationsPublisher } from '../live/job-notifications.publisher';
import { ApiError, jobNotFound } from '../http/api-error';
import { jobMetrics } from '../jobs/job-metrics';
import { JobRecord } from '../jobs/job-record';
import { JobsRepository } from '../jobs/jobs.repository';
import { BackfillRequest } from './backfill-request';
import { BackfillResultDto, CancelResultDto, RetryResultDto } from './dto/job-control.dto';
import { RestartableStage, SourceCheck, planCancel, planRetry, readsSource, restartStages } from './job-control';

/**
 * Cancel, retry and backfill. Each change happens in one transaction under the job's row lock (the
 * tracker takes the same lock, so a cancel or a retry and a stage event never interleave): the job
 * row, the events through the outbox (JobCancelled; the restarted stages' inputs) and the SSE
 * notification commit together.
 */
@Injectable()
export class JobControlService {
  private readonly logger = new Logger(JobControlService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsRepository,
    private readonly outbox: OutboxWriter,
    private readonly notifications: JobNotificationsPublisher,
    private readonly storage: ObjectStorage,
  ) {}

  /** Cancels a queued or processing job of the tenant; idempotent for an already cancelled one. */
  async cancel(id: string, tenantId: string, reason: string | null = null): Promise<CancelResultDto> {
    let cancelled: JobRecord | null = null;
    const answer = await this.dataSource.transaction(async (tx): Promise<CancelResultDto> => {
      const current = await this.lock(tx, id, tenantId);
      const plan = planCancel(current, new Date(), reason);
      if (!plan)
        return {
          job_id: id,
          status: 'cancelled',
          cancelled_at: (current.cancelledAt ?? current.updatedAt).toISOString(),
        };
      await this.jobs.update(tx, plan.job);
      await this.outbox.append(tx, 'JobCancelled', plan.event);
      await this.notifications.publish(tx, notificationFor(plan.job, plan.change));
      this.logJob(id, `job ${id} cancelled (was ${current.status})${reason ? `: ${reason}` : ''}`);
      cancelled = plan.job;
      return { job_id: id, status: 'cancelled', cancelled_at: plan.job.cancelledAt!.toISOString() };
    });
    // Counted once committed, and only by the cancel that made the change (a repeated cancel counts nothing).
    const job = cancelled as JobRecord | null;
    if (job)
      jobMetrics.finished({
        outcome: 'cancelled',
        errorCode: null,
        durationSeconds: (job.cancelledAt!.getTime() - job.createdAt.getTime()) / 1000,
      });
    return answer;
  }

  /**
   * Restarts a failed job from its failed stage(s). `tenantId` null: any tenant's job (admin backfill,
   * dead-letter replay). `failedAt`: only when that stage is one that failed (a dead letter's replay).
   * 404 JOB_NOT_FOUND, 409 JOB_NOT_RETRYABLE, 409 SOURCE_MISSING (a restarted stage reads a source
   * that is gone: it would fail again at once).
   */
  async retry(id: string, tenantId: string | null, failedAt?: RestartableStage): Promise<RetryResultDto> {
    const source = await this.checkSource(id, tenantId);
    return this.dataSource.transaction(async (tx) => {
      const current = await this.lock(tx, id, tenantId);
      const plan = planRetry(current, new Date(), source, failedAt);
      await this.jobs.update(tx, plan.job);
      for (const e of plan.events) await this.outbox.append(tx, e.type, e.event as never);
      await this.notifications.publish(tx, notificationFor(plan.job, plan.change));
      this.logJob(id, `job ${id} retried (attempt ${plan.job.attempt}) from ${plan.stages.join(', ')}`);
      return { job_id: id, status: 'processing', attempt: plan.job.attempt, restarted_stages: plan.stages };
    });
  }

  /** A line about one job: it carries the job_id (besides the request's request_id and trace_id). */
  private logJob(jobId: string, message: string): void {
    withLogContext({ job_id: jobId }, () => this.logger.log(message));
  }

  /** Retries every failed job created in the range, one transaction each, through `retry`. */
  async backfill(request: BackfillRequest): Promise<BackfillResultDto> {
    const ids = await this.jobs.failedJobIds({ from: request.from, to: request.to, tenantId: request.tenantId });
    const result: BackfillResultDto = {
      dry_run: request.dryRun,
      from: request.from.toISOString(),
      to: request.to.toISOString(),
      tenant: request.tenantId,
      matched: ids.length,
      retried: 0,
      skipped: [],
      job_ids: ids,
    };
    if (request.dryRun) return result;
    for (const id of ids) {
      try {
        await this.retry(id, request.tenantId);
        result.retried += 1;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        result.skipped.push({
          job_id: id,
          code: error.code,
          message: (error.getResponse() as { message: string }).message,
        });
      }
    }
    this.logger.log(
      `backfill ${result.from}..${result.to}${request.tenantId ? ` (tenant ${request.tenantId})` : ''}: ${result.retried} of ${result.matched} failed job(s) retried`,
    );
    return result;
  }

  /** The source's current size, read before the row lock (S3 I/O does not belong under it); undefined when no restarted stage reads it. */
  private async checkSource(id: string, tenantId: string | null): Promise<SourceCheck | undefined> {
    const job = await this.jobs.findById(id);
    if (!job || (tenantId !== null && job.tenantId !== tenantId) || job.status !== 'failed') return undefined; // planRetry answers under the lock
    if (!restartStages(job).some(readsSource)) return undefined;
    const info = await this.storage.stat(job.source.bucket, job.source.key);
    return { bytes: info?.bytes ?? null };
  }

  private async lock(tx: EntityManager, id: string, tenantId: string | null): Promise<JobRecord> {
    const job = await this.jobs.lockForUpdate(tx, id);
    if (!job || (tenantId !== null && job.tenantId !== tenantId)) throw jobNotFound(id);
    return job;
  }
}
