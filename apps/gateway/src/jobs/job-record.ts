import type { HlsVariant, JobOutput, JobSpec, MediaInfo, ObjectRef, Rendition, SkippedRendition, TranscriptFile } from '@tf/contracts';

export type JobStatus = 'queued' | 'processing' | 'completed' | 'failed';
export const isTerminal = (status: JobStatus): boolean => status === 'completed' || status === 'failed';

/** Stages in the order the API lists them; other stage names (from JobFailed/JobProgress) are appended. */
export const STAGES = ['upload', 'validate', 'transcode', 'package', 'transcribe'] as const;

/**
 * pending: its input is not there yet; running: the pipeline is on it (queued at the stage or
 * executing); completed / failed / skipped: final for the stage.
 */
export type StageStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped';

export interface TimelineEntry {
  stage: string;
  status: StageStatus;
  /** ISO time the stage's input was ready (or its first progress report). */
  started_at: string | null;
  finished_at: string | null;
  /** 0..100, from JobProgress. */
  progress: number | null;
  detail: string | null;
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
  media: MediaInfo | null;
  renditions: RenditionsFact | null;
  packaged: PackagedFact | null;
  transcript: TranscriptFact | null;
  timeline: TimelineEntry[];
  error: JobError | null;
  /** Fixed when the job completes: the same list went out in VideoCompleted. */
  outputs: JobOutput[] | null;
  /** Bumped by every change; SSE streams use it to drop notifications older than their snapshot. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

export interface NewJob {
  id: string;
  tenantId: string;
  spec: JobSpec;
  source: ObjectRef;
  originalFilename: string;
}

const entry = (stage: string, status: StageStatus, at: string | null): TimelineEntry => ({
  stage,
  status,
  started_at: at,
  finished_at: status === 'completed' ? at : null,
  progress: status === 'completed' ? 100 : null,
  detail: null,
});

/** A freshly uploaded job: the upload is done and validation is queued. */
export function newJobRecord(job: NewJob, now: Date): JobRecord {
  const at = now.toISOString();
  const timeline = [entry('upload', 'completed', at), entry('validate', 'running', at), entry('transcode', 'pending', null)];
  if (job.spec.enable_hls) timeline.push(entry('package', 'pending', null));
  if (job.spec.enable_transcription) timeline.push(entry('transcribe', 'pending', null));
  return {
    ...job,
    status: 'queued',
    media: null,
    renditions: null,
    packaged: null,
    transcript: null,
    timeline,
    error: null,
    outputs: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
  };
}
