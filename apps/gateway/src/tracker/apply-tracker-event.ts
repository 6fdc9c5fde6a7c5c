import type { JobOutput } from '@tf/contracts';
import { publicJobError, redact } from '@tf/errors';
import type { JobChange } from '../jobs/job-change';
import type { JobFinish } from '../jobs/job-metrics';
import { advanceProgress } from '../jobs/job-progress';
import { JobRecord, StageStatus, TimelineEntry, isTerminal } from '../jobs/job-record';
import { decideCompletion, transcriptExpected } from './job-fan-in';
import { TrackerEvent } from './tracker-event';

export interface TrackerOutcome {
  /** The job after the event (the input is left untouched). */
  job: JobRecord;
  /** Empty when the event changed nothing (e.g. progress of a stage that already finished). */
  changes: JobChange[];
  /** Set when this event completed the job: the outputs of its one VideoCompleted. */
  completedOutputs: JobOutput[] | null;
  /** Set when this event took the job to a final state (completed, failed): for tf_jobs_finished_total and tf_job_duration_seconds. */
  finished?: JobFinish | null;
  /** Set when this event is the first stage's first report that it started (attempt 1): accepted → started, in seconds. */
  queueWaitSeconds?: number | null;
}

const unchanged = (job: JobRecord): TrackerOutcome => ({ job, changes: [], completedOutputs: null });

const FINAL: readonly StageStatus[] = ['completed', 'failed', 'skipped', 'cancelled'];
const MAX_DETAIL = 500;

const eventTime = (occurredAt: unknown, now: Date): string => {
  const t = new Date(occurredAt as number);
  return Number.isNaN(t.getTime()) ? now.toISOString() : t.toISOString();
};

const clampPercent = (p: number): number =>
  Math.round(Math.min(100, Math.max(0, Number.isFinite(p) ? p : 0)) * 10) / 10;

const earlier = (a: string | null | undefined, b: string): string => (a && a < b ? a : b);
const later = (a: string | null | undefined, b: string): string => (a && a > b ? a : b);

/**
 * Timeline edits on a job draft. Each stage's times keep their order whatever order its events arrive
 * in (they come from different topics, and reconcile() runs on any event): queued_at ≤ started_at ≤
 * finished_at, and a stage already finished keeps the time it finished.
 */
class Timeline {
  constructor(private readonly entries: TimelineEntry[]) {}

  entry(stage: string): TimelineEntry {
    let e = this.entries.find((x) => x.stage === stage);
    if (!e) {
      e = {
        stage,
        status: 'pending',
        queued_at: null,
        started_at: null,
        finished_at: null,
        progress: null,
        detail: null,
      };
      this.entries.push(e);
    }
    return e;
  }

  has(stage: string): boolean {
    return this.entries.some((x) => x.stage === stage);
  }

  /** A stage's input is there (upstream done, at `at`): it waits at its service until it reports it started. */
  queue(stage: string, at: string): void {
    if (!this.has(stage)) return;
    const e = this.entry(stage);
    // The earliest input wins (the same fact may come again later, e.g. media through RenditionsReady).
    e.queued_at = earlier(e.queued_at, at);
    if (e.status === 'pending') e.status = 'queued';
    settle(e);
  }

  /** The stage reported (a JobProgress) that it works on the job: running from `at` on. */
  run(e: TimelineEntry, at: string): void {
    e.status = 'running';
    e.started_at ??= at;
    settle(e);
  }

  /** Never overrides a failure: a stage that gave up stays failed. A stage finished already keeps its time. */
  finish(stage: string, status: 'completed' | 'skipped', at: string, detail: string | null = null): void {
    const e = this.entry(stage);
    if (e.status === 'failed') return;
    if (e.status !== status) {
      e.status = status;
      e.retry = null;
      // No report that it started (an older producer, or a skip decided here): it counts from its input.
      e.started_at ??= e.queued_at ?? at;
      e.finished_at = at;
      if (status === 'completed') e.progress = 100;
    }
    e.detail = detail;
    settle(e);
  }

  fail(stage: string, at: string, detail: string): void {
    const e = this.entry(stage);
    e.status = 'failed';
    e.retry = null;
    e.started_at ??= e.queued_at ?? at;
    e.finished_at = at;
    e.detail = detail.slice(0, MAX_DETAIL);
    settle(e);
  }
}

/**
 * Keeps a stage's times in order when its events' times disagree: a finish stamped before the start
 * (the time of an event consumed late, or another producer's clock) moves up to the start, and a
 * queue time after the start moves down to it. The later, directly reported time wins.
 */
function settle(e: TimelineEntry): void {
  if (e.started_at && e.queued_at && e.queued_at > e.started_at) e.queued_at = e.started_at;
  if (e.started_at && e.finished_at) e.finished_at = later(e.finished_at, e.started_at);
}

/** Stage facts that depend on more than one event: whether transcription runs, whether packaging is final. */
function reconcile(job: JobRecord, timeline: Timeline, at: string): void {
  const expected = transcriptExpected(job.spec, job.media);
  if (job.spec.enable_transcription && !job.transcript) {
    const transcribe = timeline.entry('transcribe');
    if (!FINAL.includes(transcribe.status)) {
      if (expected === false) timeline.finish('transcribe', 'skipped', at, 'NO_AUDIO: the source has no audio');
      else if (job.media) timeline.queue('transcribe', at);
    }
  }
  if (job.spec.enable_hls && job.packaged) {
    const pkg = timeline.entry('package');
    if (pkg.status === 'failed') return;
    if (job.packaged.has_subtitles || expected === false) {
      timeline.finish('package', 'completed', at, job.packaged.has_subtitles ? 'with subtitles' : null);
    } else if (pkg.status !== 'completed') {
      // It packaged once (it ran); the transcript makes it package again.
      pkg.started_at ??= pkg.queued_at ?? at;
      timeline.run(pkg, at);
      pkg.detail = 'packaged without subtitles; waiting for the transcript';
    }
  }
}

/** The stage every job runs first: its start ends the job's wait in line (tf_job_queue_wait_seconds). */
const FIRST_STAGE = 'validate';

/** Whether the stage's start time is its own report, not the fallback a finish without one leaves (its queue time). */
const reportedStart = (e: TimelineEntry): boolean => !!e.started_at && e.started_at !== e.queued_at;

/**
 * A finished stage whose start was never reported, and a `started` reading (0 %, no retry) from inside its
 * queued → finished span: the reading was consumed after the output event (another topic).
 */
const lateStartReading = (e: TimelineEntry, p: { percent: number; next_attempt_at: number | null }, at: string) =>
  p.next_attempt_at == null &&
  p.percent === 0 &&
  !!e.queued_at &&
  !reportedStart(e) &&
  at > e.queued_at &&
  (!e.finished_at || at <= e.finished_at);

const stageChange = (e: TimelineEntry): JobChange => ({
  type: 'stage',
  stage: e.stage,
  stage_status: e.status,
  percent: e.progress,
  detail: e.detail,
  error: null,
});

/**
 * The job tracker's state machine: applies one stage event to a job. Pure, so that the fan-in
 * and its corner cases (any order, duplicates with new ids, late failures) are unit-tested; the
 * caller holds the row lock, persists the result and emits VideoCompleted when asked to.
 */
export function applyTrackerEvent(current: JobRecord, input: TrackerEvent, now: Date): TrackerOutcome {
  // A cancelled job is over: whatever a stage still reports (it may not have seen the cancel yet) changes nothing.
  if (current.status === 'cancelled') return unchanged(current);
  // A VideoValidated limited to one stage is a retry the gateway itself emitted (src/control): nothing to learn from it.
  if (input.type === 'VideoValidated' && input.event.only_stage) return unchanged(current);
  const job = structuredClone(current);
  const timeline = new Timeline(job.timeline);
  const at = eventTime(input.event.occurred_at, now);
  const changes: JobChange[] = [];
  const wasTerminal = isTerminal(job.status);
  let queueWaitSeconds: number | null = null;

  switch (input.type) {
    case 'VideoValidated':
      job.media = input.event.media;
      timeline.finish('validate', 'completed', at);
      timeline.queue('transcode', at);
      break;
    case 'RenditionsReady': {
      const { renditions, skipped, audio, thumbnails, media } = input.event;
      job.media ??= media;
      job.renditions = { renditions, skipped, audio, thumbnails };
      // Re-emitted by a retry of the packaging (src/control): the transcode keeps the time it really finished.
      if (timeline.entry('transcode').status !== 'completed') {
        timeline.finish(
          'transcode',
          'completed',
          at,
          skipped.length ? `skipped ${skipped.map((s) => s.label).join(', ')}` : null,
        );
      }
      if (job.spec.enable_hls) timeline.queue('package', at);
      break;
    }
    case 'VideoPackaged': {
      const { master, variants, has_subtitles } = input.event;
      // The packager may announce twice (without, then with subtitles); the later-consumed one must not undo the former.
      if (!job.packaged?.has_subtitles || has_subtitles) job.packaged = { master, variants, has_subtitles };
      break;
    }
    case 'TranscriptReady': {
      const { language, model, segment_count, files } = input.event;
      job.transcript = { language, model, segment_count, files };
      if (timeline.entry('transcribe').status !== 'completed')
        timeline.finish('transcribe', 'completed', at, `${language}, ${segment_count} segment(s)`);
      break;
    }
    case 'JobFailed': {
      const { stage } = input.event;
      // Stored and shown as public text: a listed code, a redacted message (whatever an older producer sent).
      const { code, message } = publicJobError(input.event.code, input.event.message);
      timeline.fail(stage, at, `${code}: ${message}`);
      if (!wasTerminal) {
        // First failure wins; later ones only mark their stage in the timeline.
        job.status = 'failed';
        job.error = { code, message };
        changes.push({
          type: 'failed',
          stage,
          stage_status: 'failed',
          percent: null,
          detail: message,
          error: job.error,
        });
      } else {
        changes.push(stageChange(timeline.entry(stage)));
      }
      break;
    }
    case 'JobProgress': {
      const { stage, percent, message, next_attempt_at, attempt } = input.event;
      const e = timeline.entry(stage);
      // The job's wait in line ends when its first stage reports it started (the first attempt's only).
      const jobStarts = stage === FIRST_STAGE && job.attempt === 1 && !reportedStart(e);
      if (FINAL.includes(e.status)) {
        // The started reading consumed after the stage's output (another topic) still tells when the work began.
        if (!lateStartReading(e, input.event, at)) return unchanged(current);
        e.started_at = at;
        if (jobStarts) queueWaitSeconds = (Date.parse(at) - job.createdAt.getTime()) / 1000;
        changes.push(stageChange(e));
        break;
      }
      // A report from before the stage started waiting (another topic's, or one sent before the wait) does not end the wait.
      if (next_attempt_at == null && e.retry && at < e.retry.since) return unchanged(current);
      timeline.run(e, at);
      if (jobStarts) queueWaitSeconds = (Date.parse(e.started_at!) - job.createdAt.getTime()) / 1000;
      if (next_attempt_at != null) {
        // The stage waits out an outage: its progress so far stands, the wait is shown beside it.
        const reason = (message ?? 'DEPENDENCY_UNAVAILABLE').slice(0, 100);
        e.retry = { attempt, next_attempt_at: eventTime(next_attempt_at, now), reason, since: at };
        e.detail = `waiting for attempt ${attempt} at ${e.retry.next_attempt_at} (${reason})`;
      } else {
        e.retry = null;
        e.progress = clampPercent(percent);
        if (message) e.detail = redact(message).slice(0, MAX_DETAIL);
      }
      changes.push({
        type: 'progress',
        stage,
        stage_status: 'running',
        percent: e.progress,
        detail: e.detail,
        error: null,
      });
      break;
    }
  }

  if (input.type !== 'JobFailed' && input.type !== 'JobProgress') {
    reconcile(job, timeline, at);
    const stage = {
      VideoValidated: 'validate',
      RenditionsReady: 'transcode',
      VideoPackaged: 'package',
      TranscriptReady: 'transcribe',
    }[input.type];
    changes.push(stageChange(timeline.entry(stage)));
  }
  if (job.status === 'queued') job.status = 'processing';

  let completedOutputs: JobOutput[] | null = null;
  if (!isTerminal(job.status)) {
    const decision = decideCompletion(job);
    if (decision.complete) {
      completedOutputs = decision.outputs;
      job.status = 'completed';
      job.outputs = decision.outputs;
      job.completedAt = now;
      changes.push({ type: 'completed', stage: null, stage_status: null, percent: null, detail: null, error: null });
    }
  }
  job.progress = advanceProgress(job);
  job.version += 1;
  job.updatedAt = now;
  const finished: JobFinish | null =
    !wasTerminal && (job.status === 'completed' || job.status === 'failed')
      ? {
          outcome: job.status,
          errorCode: job.error?.code ?? null,
          durationSeconds: (now.getTime() - job.createdAt.getTime()) / 1000,
        }
      : null;
  return { job, changes, completedOutputs, finished, queueWaitSeconds };
}
