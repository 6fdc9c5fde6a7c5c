import type {
  HlsVariant,
  JobOutput,
  JobSpec,
  MediaInfo,
  ObjectRef,
  Rendition,
  SkippedRendition,
  TranscriptFile,
} from '@tf/contracts';

export const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
/** No stage event changes a terminal job's status again; only a retry takes a failed job back to processing. */
export const isTerminal = (status: JobStatus): boolean =>
  status === 'completed' || status === 'failed' || status === 'cancelled';

/**
 * pending: its input is not there yet; queued: its input is there and it waits at its service (a
 * concurrency slot, a higher priority lane, a busy partition); running: the stage reported that its
 * handler started the work (a JobProgress: the `started` reading libs/stage sends, or any later one);
 * completed / failed / skipped / cancelled: final for the stage (a retry queues a failed stage again).
 */
export type StageStatus = 'pending' | 'queued' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled';

export interface TimelineEntry {
  stage: string;
  status: StageStatus;
  /** ISO time the stage's input was ready (upstream done). Absent in rows written before it existed. */
  queued_at?: string | null;
  /**
   * ISO time the stage reported it started the work; a stage that finishes without such a report
   * (an older producer) counts as started when it was queued. Never after finished_at.
   */
  started_at: string | null;
  finished_at: string | null;
  /** 0..100, from JobProgress. */
  progress: number | null;
  detail: string | null;
  /** Set while the stage waits for a durable retry after an outage (JobProgress.next_attempt_at); null again once it proceeds. Absent in rows written before it existed. */
  retry?: StageRetry | null;
}

/** A stage waiting to try again: which attempt comes, when, and why (a product code). */
interface StageRetry {
  attempt: number;
  next_attempt_at: string;
  reason: string;
  /** When the stage reported the wait; older progress reports do not end it. */
  since: string;
}

export interface JobError {
  code: string;
  message: string;
}

/** What RenditionsReady delivered. */
export interface RenditionsFact {
  renditions: Rendition[];
  skipped: SkippedRendition[];
  audio: ObjectRef | null;
  thumbnails: ObjectRef[];
}

/** The most complete VideoPackaged seen (with subtitles wins over without). */
export interface PackagedFact {
  master: ObjectRef;
  variants: HlsVariant[];
  has_subtitles: boolean;
}

/** What TranscriptReady delivered. */
export interface TranscriptFact {
  language: string;
  model: string;
  segment_count: number;
  files: TranscriptFile[];
}

/** One job as the gateway stores it: the request, the facts the stages reported, and the derived state. */
export interface JobRecord {
  id: string;
  tenantId: string;
  status: JobStatus;
  spec: JobSpec;
  /** The stored upload. */
  source: ObjectRef;
  originalFilename: string;
  /** Client-chosen tags (upload field `labels=a,b`), for filtering the job list. */
  labels: string[];
  /** The job's run: 1, then +1 for every retry (the `attempt` of the events a retry emits). */
  attempt: number;
  media: MediaInfo | null;
  renditions: RenditionsFact | null;
  packaged: PackagedFact | null;
  transcript: TranscriptFact | null;
  timeline: TimelineEntry[];
  error: JobError | null;
  /** Fixed when the job completes: the same list went out in VideoCompleted. */
  outputs: JobOutput[] | null;
  /**
   * Overall progress 0..100, weighted by the stages' expected cost (jobs/job-progress.ts); the high-water
   * mark, so it never goes back (not even when a retry restarts a stage).
   */
  progress: number;
  /** Bumped by every change; SSE streams use it to drop notifications older than their snapshot. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  /** Set when a client cancelled the job (status cancelled). */
  cancelledAt: Date | null;
}

export interface NewJob {
  id: string;
  tenantId: string;
  spec: JobSpec;
  source: ObjectRef;
  originalFilename: string;
  labels?: string[];
}

const entry = (stage: string, status: StageStatus, at: string | null): TimelineEntry => ({
  stage,
  status,
  queued_at: at,
  started_at: status === 'completed' ? at : null,
  finished_at: status === 'completed' ? at : null,
  progress: status === 'completed' ? 100 : null,
  detail: null,
});

/** A freshly uploaded job: the upload is done and validation is queued (until the validator reports it started). */
export function newJobRecord(job: NewJob, now: Date): JobRecord {
  const at = now.toISOString();
  const timeline = [
    entry('upload', 'completed', at),
    entry('validate', 'queued', at),
    entry('transcode', 'pending', null),
  ];
  if (job.spec.enable_hls) timeline.push(entry('package', 'pending', null));
  if (job.spec.enable_transcription) timeline.push(entry('transcribe', 'pending', null));
  return {
    ...job,
    labels: job.labels ?? [],
    attempt: 1,
    status: 'queued',
    media: null,
    renditions: null,
    packaged: null,
    transcript: null,
    timeline,
    error: null,
    outputs: null,
    progress: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
    cancelledAt: null,
  };
}
