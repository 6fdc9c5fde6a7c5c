import type { JobRecord, StageStatus, TimelineEntry } from './job-record';

/**
 * Each stage's share of a job's overall progress: its expected cost, relative to the others. Measured
 * on the local stack over the completed jobs of the shared database (median wall seconds per media
 * second, queue included: validate ≈ 0.7, transcode ≈ 1.9 for one or two renditions, package ≈ 0.8,
 * transcribe ≈ 5.9 with Whisper base on two shared cores, a few minutes of clips only), rounded and
 * damped so that a job without transcription still moves evenly: transcode and transcribe run side by
 * side, the others one after another. The upload counts nothing (the client shows its own bar).
 * Stages a job does not run (no HLS, no transcription) are left out and the rest scaled to 100.
 * Documented in docs/operations.md ("Jobs").
 */
export const STAGE_WEIGHTS: Readonly<Record<string, number>> = {
  validate: 5,
  transcode: 45,
  package: 10,
  transcribe: 40,
};

const DONE: readonly StageStatus[] = ['completed', 'skipped'];

/** How far one stage is, 0..1: done 1; running its last reading; anything else (pending, queued, failed, cancelled) what it reached. */
function stageFraction(e: TimelineEntry): number {
  if (DONE.includes(e.status)) return 1;
  return Math.min(100, Math.max(0, e.progress ?? 0)) / 100;
}

/** The overall progress the job's timeline shows now, 0..100 (one decimal); 100 once completed. */
function timelineProgress(job: Pick<JobRecord, 'status' | 'timeline'>): number {
  if (job.status === 'completed') return 100;
  let total = 0;
  let done = 0;
  for (const e of job.timeline) {
    const weight = STAGE_WEIGHTS[e.stage] ?? 0;
    total += weight;
    done += weight * stageFraction(e);
  }
  if (total === 0) return 0;
  return Math.floor((done / total) * 1000) / 10;
}

/**
 * The overall progress after a change: never below what the job already showed (a durable retry
 * restarts a stage's own reading from 0; a retry of a failed job restarts a stage), so every client
 * (GET, SSE, GraphQL, the CLI's bar) sees one number that only goes up.
 */
export const advanceProgress = (job: Pick<JobRecord, 'status' | 'timeline' | 'progress'>): number =>
  Math.max(job.progress ?? 0, timelineProgress(job));
