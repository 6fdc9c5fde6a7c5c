import type { JobCancelled, RenditionsReady, TranscriptReady, VideoUploaded, VideoValidated } from '@tf/contracts';
import { ApiError } from '../http/api-error';
import { JobRecord } from '../jobs/job-record';
import { applyTrackerEvent } from '../tracker/apply-tracker-event';
import {
  failed,
  job,
  media,
  packaged,
  progress,
  renditionsReady,
  spec,
  transcriptReady,
  validated,
} from '../tracker/tracker-fixtures';
import { TrackerEvent } from '../tracker/tracker-event';
import { backfillScopeFor } from './backfill-request';
import { planCancel, planRetry, restartStages } from './job-control';

const now = new Date('2025-01-01T00:05:00Z');
const later = new Date('2025-01-01T00:06:00Z');

const run = (start: JobRecord, events: TrackerEvent[]): JobRecord =>
  events.reduce((j, e) => applyTrackerEvent(j, e, now).job, start);
const stages = (j: JobRecord) => Object.fromEntries(j.timeline.map((e) => [e.stage, e.status]));
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as ApiError).code;
  }
  throw new Error('expected an ApiError');
};

describe('planCancel', () => {
  it('cancels a processing job: terminal status, unfinished stages cancelled, JobCancelled with the spec', () => {
    const s = spec();
    const current = run(job(s), [validated(s), progress('transcode', 30)]);
    const plan = planCancel(current, later, 'wrong file')!;
    expect(plan.job).toMatchObject({ status: 'cancelled', cancelledAt: later, version: current.version + 1 });
    expect(stages(plan.job)).toEqual({
      upload: 'completed',
      validate: 'completed',
      transcode: 'cancelled',
      package: 'cancelled',
      transcribe: 'cancelled',
    });
    expect(plan.job.timeline.find((e) => e.stage === 'transcode')).toMatchObject({
      finished_at: later.toISOString(),
      detail: 'cancelled: wrong file',
      progress: 30,
    });
    expect(plan.job.timeline.find((e) => e.stage === 'package')).toMatchObject({ finished_at: null });
    expect(plan.event).toMatchObject<Partial<JobCancelled>>({
      job_id: current.id,
      attempt: 1,
      spec: s,
      previous_status: 'processing',
      reason: 'wrong file',
    });
    expect(plan.change).toMatchObject({ type: 'cancelled' });
    expect(current.status).toBe('processing'); // input untouched
  });

  it('is idempotent for a cancelled job and refuses finished ones', () => {
    const cancelled = planCancel(job(), now, null)!.job;
    expect(planCancel(cancelled, later, null)).toBeNull();
    const s = spec({ enable_hls: false, enable_transcription: false });
    const completed = run(job(s), [renditionsReady(s)]);
    expect(completed.status).toBe('completed');
    expect(codeOf(() => planCancel(completed, now, null))).toBe('JOB_NOT_CANCELLABLE');
    expect(codeOf(() => planCancel(run(job(), [failed(spec(), 'validate', 'UNSUPPORTED_CODEC')]), now, null))).toBe(
      'JOB_NOT_CANCELLABLE',
    );
  });

  it('after a cancel, the tracker ignores every stage event: no completion, ever', () => {
    const s = spec({ enable_transcription: false });
    const cancelled = planCancel(run(job(s), [validated(s)]), now, null)!.job;
    for (const e of [renditionsReady(s), packaged(s, false), failed(s, 'transcode', 'X'), progress('transcode', 50)]) {
      const o = applyTrackerEvent(cancelled, e, later);
      expect(o).toEqual({ job: cancelled, changes: [], completedOutputs: null });
    }
  });
});

describe('planRetry', () => {
  it('restarts a failed transcode only: VideoValidated for the transcoder, attempt 2, error cleared, timeline shows the retry', () => {
    const s = spec({ enable_transcription: true });
    const current = run(job(s), [validated(s), failed(s, 'transcode', 'SOURCE_MISSING'), transcriptReady(s)]);
    expect(current.status).toBe('failed');
    const plan = planRetry(current, later);
    expect(plan.stages).toEqual(['transcode']);
    expect(plan.job).toMatchObject({ status: 'processing', error: null, attempt: 2, version: current.version + 1 });
    // Its input goes out again: queued at the transcoder until it reports it started.
    expect(plan.job.timeline.find((e) => e.stage === 'transcode')).toEqual({
      stage: 'transcode',
      status: 'queued',
      queued_at: later.toISOString(),
      started_at: null,
      finished_at: null,
      progress: null,
      retry: null,
      detail: 'retry 2 after SOURCE_MISSING: transcode went wrong',
    });
    expect(plan.events).toHaveLength(1);
    const [e] = plan.events as [{ type: 'VideoValidated'; event: VideoValidated }];
    expect(e.type).toBe('VideoValidated');
    expect(e.event).toMatchObject({
      job_id: current.id,
      attempt: 2,
      only_stage: 'transcode',
      spec: s,
      media: current.media,
      source: current.source,
    });
    expect(plan.change).toMatchObject({ type: 'retried', stage: 'transcode', stage_status: 'queued' });
  });

  it('restarts both stages VideoValidated feeds when both failed, each with its own only_stage', () => {
    const s = spec();
    const current = run(job(s), [
      validated(s),
      failed(s, 'transcribe', 'WHISPER_CRASHED'),
      failed(s, 'transcode', 'TRANSCODE_FAILED'),
    ]);
    const plan = planRetry(current, later);
    expect(plan.stages).toEqual(['transcode', 'transcribe']);
    expect(plan.events.map((e) => [e.type, (e.event as VideoValidated).only_stage])).toEqual([
      ['VideoValidated', 'transcode'],
      ['VideoValidated', 'transcribe'],
    ]);
  });

  it('restarts a failed validation from VideoUploaded', () => {
    const s = spec();
    const current = run(job(s), [failed(s, 'validate', 'INVALID_CONTAINER')]);
    const plan = planRetry(current, later);
    expect(plan.stages).toEqual(['validate']);
    const [e] = plan.events as [{ type: 'VideoUploaded'; event: VideoUploaded }];
    expect(e.type).toBe('VideoUploaded');
    expect(e.event).toMatchObject({
      job_id: current.id,
      attempt: 2,
      source: current.source,
      original_filename: 'clip.mp4',
      spec: s,
    });
  });

  it('restarts a failed packaging from the stored renditions (and the transcript, for the packager to pick up again)', () => {
    const s = spec();
    const current = run(job(s), [
      validated(s),
      renditionsReady(s),
      transcriptReady(s),
      failed(s, 'package', 'TRANSCODE_FAILED'),
    ]);
    const plan = planRetry(current, later);
    expect(plan.stages).toEqual(['package']);
    expect(plan.events.map((e) => e.type)).toEqual(['RenditionsReady', 'TranscriptReady']);
    const r = plan.events[0].event as RenditionsReady;
    expect(r).toMatchObject({
      attempt: 2,
      spec: s,
      media: current.media,
      renditions: current.renditions!.renditions,
      thumbnails: current.renditions!.thumbnails,
    });
    const t = plan.events[1].event as TranscriptReady;
    expect(t).toMatchObject({
      language: 'en',
      files: current.transcript!.files,
      duration_s: current.media!.duration_s,
    });
  });

  it('falls back to the stage before when the gateway cannot rebuild the input', () => {
    const s = spec();
    const noMedia = run(job(s), [failed(s, 'transcode', 'X')]);
    expect(noMedia.media).toBeNull();
    expect(restartStages(noMedia)).toEqual(['validate']);
    const noRenditions = run(job(s), [validated(s), failed(s, 'package', 'X')]);
    expect(restartStages(noRenditions)).toEqual(['transcode']);
  });

  it('checks the source for stages that read it: gone → SOURCE_MISSING; put back with another size → the new size', () => {
    const s = spec();
    const current = run(job(s), [validated(s), failed(s, 'transcode', 'SOURCE_MISSING')]);
    expect(codeOf(() => planRetry(current, later, { bytes: null }))).toBe('SOURCE_MISSING');
    const plan = planRetry(current, later, { bytes: 5_000 });
    expect(plan.job.source.bytes).toBe(5_000);
    expect((plan.events[0].event as VideoValidated).source.bytes).toBe(5_000);
    // The packager reads renditions, not the source.
    const pkg = run(job(s), [validated(s), renditionsReady(s), failed(s, 'package', 'X')]);
    expect(planRetry(pkg, later, { bytes: null }).stages).toEqual(['package']);
  });

  it('refuses jobs that are not failed, or failed outside the pipeline', () => {
    expect(codeOf(() => planRetry(job(), now))).toBe('JOB_NOT_RETRYABLE');
    const s = spec({ enable_hls: false, enable_transcription: false });
    expect(codeOf(() => planRetry(run(job(s), [renditionsReady(s)]), now))).toBe('JOB_NOT_RETRYABLE');
    expect(codeOf(() => planRetry(run(job(), [failed(spec(), 'notify', 'WEBHOOK_FAILED')]), now))).toBe(
      'JOB_NOT_RETRYABLE',
    );
  });

  it('with failedAt (a dead letter replayed), restarts the job only when that stage is one that failed', () => {
    const s = spec();
    const current = run(job(s), [validated(s, media()), failed(s, 'transcode', 'X')]);
    expect(planRetry(current, later, undefined, 'transcode').stages).toEqual(['transcode']);
    expect(codeOf(() => planRetry(current, later, undefined, 'validate'))).toBe('JOB_NOT_RETRYABLE');
    expect(codeOf(() => planRetry(current, later, undefined, 'package'))).toBe('JOB_NOT_RETRYABLE');
  });

  it('a retried job completes once through the fan-in; the re-emitted renditions keep the transcode times', () => {
    const s = spec({ enable_transcription: false });
    const failedJob = run(job(s), [validated(s), renditionsReady(s), failed(s, 'package', 'HLS_FAILED')]);
    const transcodeBefore = failedJob.timeline.find((e) => e.stage === 'transcode');
    const plan = planRetry(failedJob, later);
    const reEmitted: TrackerEvent = { type: 'RenditionsReady', event: plan.events[0].event as RenditionsReady };
    let j = applyTrackerEvent(plan.job, reEmitted, later).job;
    expect(j.timeline.find((e) => e.stage === 'transcode')).toEqual(transcodeBefore);
    expect(j.status).toBe('processing');
    const done = applyTrackerEvent(j, packaged(s, false), later);
    expect(done.job.status).toBe('completed');
    expect(done.completedOutputs).not.toBeNull();
    j = done.job;
    // A late duplicate cannot complete it twice, nor can a retry of a completed job happen.
    expect(applyTrackerEvent(j, packaged(s, false), later).completedOutputs).toBeNull();
    expect(codeOf(() => planRetry(j, later))).toBe('JOB_NOT_RETRYABLE');
  });

  it('the tracker ignores the VideoValidated a retry emits (only_stage set)', () => {
    const s = spec();
    const current = run(job(s), [validated(s, media()), failed(s, 'transcode', 'X')]);
    const plan = planRetry(current, later);
    const o = applyTrackerEvent(
      plan.job,
      { type: 'VideoValidated', event: plan.events[0].event as VideoValidated },
      later,
    );
    expect(o.changes).toEqual([]);
  });
});

describe('backfillScopeFor', () => {
  it('keeps a tenant admin key to its own tenant; a platform admin key reaches any', () => {
    const range = { from: new Date(0), to: new Date(1), dryRun: false };
    const tenantAdmin = { id: 'k', tenantId: 'acme', scopes: ['admin'] };
    expect(backfillScopeFor(tenantAdmin, { ...range, tenantId: null }).tenantId).toBe('acme');
    expect(backfillScopeFor(tenantAdmin, { ...range, tenantId: 'acme' }).tenantId).toBe('acme');
    expect(codeOf(() => backfillScopeFor(tenantAdmin, { ...range, tenantId: 'other' }))).toBe(
      'PLATFORM_ADMIN_REQUIRED',
    );
    const platform = { ...tenantAdmin, platformAdmin: true };
    expect(backfillScopeFor(platform, { ...range, tenantId: null }).tenantId).toBeNull();
    expect(backfillScopeFor(platform, { ...range, tenantId: 'other' }).tenantId).toBe('other');
  });
});
