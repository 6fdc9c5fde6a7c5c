import { HttpStatus } from '@nestjs/common';
import { EventType, EventsByType, JobCancelled, newEnvelope } from '@tf/contracts';
import { ApiError } from '../http/api-error';
import { JobRecord, TimelineEntry } from '../jobs/job-record';
import type { JobChange } from '../jobs/job-change';

/** An event the job control appends to the gateway's outbox. */
type OutgoingEvent = { [T in EventType]: { type: T; event: EventsByType[T] } }[EventType];

/** Stages a retry can restart, in chain order, with the event each one consumes. */
export const RESTARTABLE_STAGES = ['validate', 'transcode', 'transcribe', 'package'] as const;
export type RestartableStage = (typeof RESTARTABLE_STAGES)[number];

const MAX_DETAIL = 500;
/** Longest reason a cancel may give (CancelRequestDto). */
export const MAX_REASON = 500;

const jobNotCancellable = (job: JobRecord): ApiError =>
  new ApiError(
    HttpStatus.CONFLICT,
    'JOB_NOT_CANCELLABLE',
    `Job ${job.id} is ${job.status}; only queued or processing jobs can be cancelled`,
  );

const jobNotRetryable = (job: JobRecord, why: string): ApiError =>
  new ApiError(HttpStatus.CONFLICT, 'JOB_NOT_RETRYABLE', `Job ${job.id} cannot be retried: ${why}`);

export interface CancelPlan {
  /** The job after the cancel (the input is left untouched). */
  job: JobRecord;
  event: JobCancelled;
  change: JobChange;
}

/**
 * Cancelling a queued or processing job: status cancelled (terminal: the tracker ignores every later
 * stage event, so no VideoCompleted can follow), unfinished stages marked cancelled, and the
 * JobCancelled event every stage instance and the tracker act on. null when it is already cancelled
 * (cancel is idempotent); 409 JOB_NOT_CANCELLABLE for completed and failed jobs.
 */
export function planCancel(current: JobRecord, now: Date, reason: string | null): CancelPlan | null {
  if (current.status === 'cancelled') return null;
  if (current.status !== 'queued' && current.status !== 'processing') throw jobNotCancellable(current);
  const job = structuredClone(current);
  const at = now.toISOString();
  for (const e of job.timeline) {
    if (e.status !== 'running' && e.status !== 'queued' && e.status !== 'pending') continue;
    if (e.status === 'running') e.finished_at = at;
    e.status = 'cancelled';
    e.detail = reason ? `cancelled: ${reason}`.slice(0, MAX_DETAIL) : 'cancelled';
  }
  job.status = 'cancelled';
  job.cancelledAt = now;
  job.updatedAt = now;
  job.version += 1;
  return {
    job,
    event: { ...newEnvelope(job.id, job.attempt), spec: job.spec, previous_status: current.status, reason },
    change: { type: 'cancelled', stage: null, stage_status: null, percent: null, detail: reason, error: null },
  };
}

export interface RetryPlan {
  job: JobRecord;
  /** The stages restarted, in chain order. */
  stages: RestartableStage[];
  /** Input events of those stages, with fresh event ids and attempt = the job's new attempt. */
  events: OutgoingEvent[];
  change: JobChange;
}

const failedStages = (job: JobRecord): RestartableStage[] =>
  RESTARTABLE_STAGES.filter((stage) => job.timeline.some((e) => e.stage === stage && e.status === 'failed'));

/**
 * Where a retry restarts: the failed stages, except that a stage whose input the gateway cannot
 * rebuild (no media known: no VideoValidated; no renditions: no RenditionsReady) restarts the
 * stage before it instead; a failed validation restarts the whole chain from VideoUploaded.
 */
export function restartStages(job: JobRecord): RestartableStage[] {
  const stages = new Set<RestartableStage>();
  for (const stage of failedStages(job)) {
    if (stage === 'validate' || !job.media) stages.add('validate');
    else if (stage === 'package' && !job.renditions) stages.add('transcode');
    else stages.add(stage);
  }
  // Validation feeds everything else: restarting it restarts the rest as a matter of course.
  return stages.has('validate') ? ['validate'] : RESTARTABLE_STAGES.filter((s) => stages.has(s));
}

/** The input event(s) of one stage, rebuilt from the job row (the facts the stages reported). */
function stageInputEvents(job: JobRecord, stage: RestartableStage): OutgoingEvent[] {
  const envelope = () => newEnvelope(job.id, job.attempt);
  const { spec, source, media } = job;
  switch (stage) {
    case 'validate':
      return [
        { type: 'VideoUploaded', event: { ...envelope(), source, original_filename: job.originalFilename, spec } },
      ];
    case 'transcode':
    case 'transcribe':
      // Both stages consume VideoValidated: only_stage keeps the other one (which did not fail) from running again.
      return [{ type: 'VideoValidated', event: { ...envelope(), source, spec, media: media!, only_stage: stage } }];
    case 'package': {
      const r = job.renditions!;
      const events: OutgoingEvent[] = [
        {
          type: 'RenditionsReady',
          event: {
            ...envelope(),
            spec,
            media: media!,
            renditions: r.renditions,
            skipped: r.skipped,
            audio: r.audio,
            thumbnails: r.thumbnails,
          },
        },
      ];
      // The packager may have failed on the transcript's side: telling it again is harmless (it decides on its own row).
      if (job.transcript) {
        const t = job.transcript;
        events.push({
          type: 'TranscriptReady',
          event: {
            ...envelope(),
            spec,
            language: t.language,
            model: t.model,
            duration_s: media!.duration_s,
            segment_count: t.segment_count,
            files: t.files,
          },
        });
      }
      return events;
    }
  }
}

/** What the source object looks like now (null bytes: it is gone). */
export interface SourceCheck {
  bytes: number | null;
}

/** Stages that read the source in raw-videos (the packager reads the renditions). */
export const readsSource = (stage: RestartableStage): boolean => stage !== 'package';

const sourceMissing = (job: JobRecord): ApiError =>
  new ApiError(
    HttpStatus.CONFLICT,
    'SOURCE_MISSING',
    `Job ${job.id} cannot be retried: its source ${job.source.bucket}/${job.source.key} no longer exists; put it back first`,
  );

/** The stage's input goes out again: it is queued at its service until it reports it started. */
function restart(entry: TimelineEntry, at: string, attempt: number): void {
  const previous = entry.detail ? ` after ${entry.detail}` : '';
  entry.status = 'queued';
  entry.queued_at = at;
  entry.started_at = null;
  entry.finished_at = null;
  entry.progress = null;
  entry.detail = `retry ${attempt}${previous}`.slice(0, MAX_DETAIL);
}

/**
 * Retrying a failed job from the stage(s) that failed: status processing, error cleared, attempt + 1,
 * the restarted stages running again in the timeline (detail "retry N after CODE: message"), and
 * their input events to emit. 409 JOB_NOT_RETRYABLE unless the job is failed at a restartable stage
 * (at `failedAt`, when given: a dead letter's replay restarts the job only for the stage that parked it).
 * A completed job is never retried, so the fan-in still completes a job at most once.
 */
export function planRetry(current: JobRecord, now: Date, source?: SourceCheck, failedAt?: RestartableStage): RetryPlan {
  if (current.status !== 'failed')
    throw jobNotRetryable(current, `it is ${current.status}; only failed jobs are retried`);
  if (failedAt && !failedStages(current).includes(failedAt))
    throw jobNotRetryable(current, `its ${failedAt} stage did not fail`);
  const stages = restartStages(current);
  if (stages.length === 0) throw jobNotRetryable(current, 'no stage of the pipeline failed (nothing to restart)');
  const job = structuredClone(current);
  if (source && stages.some(readsSource)) {
    if (source.bytes === null) throw sourceMissing(current);
    // The client may have put the source again (another size): the restarted stages get what is there now.
    job.source = { ...job.source, bytes: source.bytes };
  }
  const at = now.toISOString();
  job.attempt += 1;
  for (const stage of stages) {
    const entry = job.timeline.find((e) => e.stage === stage);
    if (entry) restart(entry, at, job.attempt);
    else
      job.timeline.push({
        stage,
        status: 'queued',
        queued_at: at,
        started_at: null,
        finished_at: null,
        progress: null,
        detail: `retry ${job.attempt}`,
      });
  }
  job.status = 'processing';
  job.error = null;
  job.updatedAt = now;
  job.version += 1;
  const events = stages.flatMap((stage) => stageInputEvents(job, stage));
  return {
    job,
    stages,
    events,
    change: {
      type: 'retried',
      stage: stages[0],
      stage_status: 'queued',
      percent: null,
      detail: `retry ${job.attempt}: ${stages.join(', ')}`,
      error: null,
    },
  };
}
