import type { JobOutput } from '@tf/contracts';
import { publicJobError, redact } from '@tf/errors';
import type { JobChange } from '../jobs/job-change';
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
}

const FINAL: readonly StageStatus[] = ['completed', 'failed', 'skipped', 'cancelled'];
const MAX_DETAIL = 500;

const eventTime = (occurredAt: unknown, now: Date): string => {
  const t = new Date(occurredAt as number);
  return Number.isNaN(t.getTime()) ? now.toISOString() : t.toISOString();
};

const clampPercent = (p: number): number =>
  Math.round(Math.min(100, Math.max(0, Number.isFinite(p) ? p : 0)) * 10) / 10;

/** Timeline edits on a job draft. */
class Timeline {
  constructor(private readonly entries: TimelineEntry[]) {}

  entry(stage: string): TimelineEntry {
    let e = this.entries.find((x) => x.stage === stage);
    if (!e) {
      e = { stage, status: 'pending', started_at: null, finished_at: null, progress: null, detail: null };
      this.entries.push(e);
    }
    return e;
  }

  has(stage: string): boolean {
    return this.entries.some((x) => x.stage === stage);
  }

  /** A stage's input is there: it is queued or running at its service. */
  start(stage: string, at: string): void {
    if (!this.has(stage)) return;
    const e = this.entry(stage);
    if (e.status !== 'pending') return;
    e.status = 'running';
    e.started_at = at;
  }

  /** Never overrides a failure: a stage that gave up stays failed. */
  finish(stage: string, status: 'completed' | 'skipped', at: string, detail: string | null = null): void {
    const e = this.entry(stage);
    if (e.status === 'failed') return;
    e.status = status;
    e.retry = null;
    e.started_at ??= at;
    e.finished_at = at;
    if (status === 'completed') e.progress = 100;
    e.detail = detail;
  }

  fail(stage: string, at: string, detail: string): void {
    const e = this.entry(stage);
    e.status = 'failed';
    e.retry = null;
    e.started_at ??= at;
    e.finished_at = at;
    e.detail = detail.slice(0, MAX_DETAIL);
  }
}

/** Stage facts that depend on more than one event: whether transcription runs, whether packaging is final. */
function reconcile(job: JobRecord, timeline: Timeline, at: string): void {
  const expected = transcriptExpected(job.spec, job.media);
  if (job.spec.enable_transcription && !job.transcript) {
    const transcribe = timeline.entry('transcribe');
    if (!FINAL.includes(transcribe.status)) {
      if (expected === false) timeline.finish('transcribe', 'skipped', at, 'NO_AUDIO: the source has no audio');
      else if (job.media) timeline.start('transcribe', at);
    }
  }
  if (job.spec.enable_hls && job.packaged) {
    const pkg = timeline.entry('package');
    if (pkg.status === 'failed') return;
    if (job.packaged.has_subtitles || expected === false) {
      timeline.finish('package', 'completed', at, job.packaged.has_subtitles ? 'with subtitles' : null);
    } else {
      pkg.status = 'running';
      pkg.started_at ??= at;
      pkg.detail = 'packaged without subtitles; waiting for the transcript';
    }
  }
}

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
  if (current.status === 'cancelled') return { job: current, changes: [], completedOutputs: null };
  // A VideoValidated limited to one stage is a retry the gateway itself emitted (src/control): nothing to learn from it.
  if (input.type === 'VideoValidated' && input.event.only_stage)
    return { job: current, changes: [], completedOutputs: null };
  const job = structuredClone(current);
  const timeline = new Timeline(job.timeline);
  const at = eventTime(input.event.occurred_at, now);
  const changes: JobChange[] = [];
  const wasTerminal = isTerminal(job.status);

  switch (input.type) {
    case 'VideoValidated':
      job.media = input.event.media;
      timeline.finish('validate', 'completed', at);
      timeline.start('transcode', at);
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
      if (job.spec.enable_hls) timeline.start('package', at);
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
      if (FINAL.includes(e.status)) return { job: current, changes: [], completedOutputs: null };
      // A report from before the stage started waiting (the outbox may deliver it late) does not end the wait.
      if (next_attempt_at == null && e.retry && at < e.retry.since)
        return { job: current, changes: [], completedOutputs: null };
      e.status = 'running';
      e.started_at ??= at;
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
  job.version += 1;
  job.updatedAt = now;
  return { job, changes, completedOutputs };
}
