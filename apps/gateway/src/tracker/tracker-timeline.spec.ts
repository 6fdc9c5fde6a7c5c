import { JobRecord, TimelineEntry } from '../jobs/job-record';
import { STAGE_WEIGHTS } from '../jobs/job-progress';
import { applyTrackerEvent } from './apply-tracker-event';
import {
  failed,
  job,
  packaged,
  progressAt,
  renditionsReady,
  spec,
  transcriptReady,
  validated,
  waitingRetry,
  applyAll,
} from './tracker-fixtures';
import { TrackerEvent } from './tracker-event';

// The timeline tells the truth: queued apart from running, no stage finishing before it starts, and an
// overall progress that is weighted by the stages' cost and never goes back.

const now = new Date('2025-01-01T00:10:00Z');
const created = Date.parse('2025-01-01T00:00:00Z'); // the fixture job's created_at

/** The event as if it had been written at `iso`. */
const at = (e: TrackerEvent, iso: string): TrackerEvent =>
  ({ ...e, event: { ...e.event, occurred_at: Date.parse(iso) } }) as TrackerEvent;
const t = (seconds: number) => new Date(created + seconds * 1000).toISOString();

const run = (start: JobRecord, events: TrackerEvent[]) => applyAll(start, events, now);

const entry = (j: JobRecord, stage: string) => j.timeline.find((e) => e.stage === stage)!;

/** Every stage's times in order: queued ≤ started ≤ finished, where set. */
function expectOrderedTimes(j: JobRecord): void {
  for (const e of j.timeline) {
    const times = [e.queued_at, e.started_at, e.finished_at].filter((x): x is string => !!x);
    expect({ stage: e.stage, times }).toEqual({ stage: e.stage, times: [...times].sort() });
  }
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/** A 4K job as the stages really emit it: the transcript is ready long before the slow encode ends (6 events: 720 orders). */
function fourKEvents() {
  const s = spec();
  return {
    s,
    events: [
      at(validated(s), t(2)),
      at(transcriptReady(s), t(40)),
      progressAt('transcode', 0, t(121)), // queued behind another job's encode until then
      at(renditionsReady(s), t(400)),
      progressAt('package', 0, t(401)),
      at(packaged(s, true), t(420)), // the transcript was known: packaged with subtitles at once
    ],
  };
}

describe('tracker timeline', () => {
  it('shows a stage queued from its input until the stage reports it started, then running', () => {
    const s = spec({ enable_transcription: false });
    const fresh = job(s);
    expect(entry(fresh, 'validate')).toMatchObject({ status: 'queued', queued_at: t(0), started_at: null });

    const validating = run(fresh, [progressAt('validate', 0, t(1))]).job;
    expect(entry(validating, 'validate')).toMatchObject({ status: 'running', queued_at: t(0), started_at: t(1) });

    const waiting = run(validating, [at(validated(s), t(2))]).job;
    expect(entry(waiting, 'transcode')).toMatchObject({
      status: 'queued',
      queued_at: t(2),
      started_at: null,
      finished_at: null,
    });

    // The encode starts 119 s later (a slot was busy): running from then on, the wait shown apart.
    const encoding = run(waiting, [progressAt('transcode', 0, t(121)), progressAt('transcode', 50, t(122))]).job;
    expect(entry(encoding, 'transcode')).toMatchObject({
      status: 'running',
      queued_at: t(2),
      started_at: t(121),
      progress: 50,
    });
    const done = run(encoding, [at(renditionsReady(s), t(123))]).job;
    expect(entry(done, 'transcode')).toMatchObject({
      status: 'completed',
      queued_at: t(2),
      started_at: t(121),
      finished_at: t(123),
    });
    expect(entry(done, 'package')).toMatchObject({ status: 'queued', queued_at: t(123), started_at: null });
  });

  it('keeps the queue time when the start report is consumed before the input event (different topics)', () => {
    const s = spec({ enable_transcription: false });
    const j = run(job(s), [progressAt('transcode', 0, t(121)), at(validated(s), t(2))]).job;
    expect(entry(j, 'transcode')).toMatchObject({ status: 'running', queued_at: t(2), started_at: t(121) });
  });

  it('a stage that never reported its start counts from its input (older producers), never from before it', () => {
    const s = spec({ enable_transcription: false, enable_hls: false });
    const j = run(job(s), [at(validated(s), t(2)), at(renditionsReady(s), t(9))]).job;
    expect(entry(j, 'transcode')).toMatchObject({ status: 'completed', started_at: t(2), finished_at: t(9) });
    expectOrderedTimes(j);
  });

  it('the 4K package case: a transcript consumed after the packaging does not finish the package before it started', () => {
    const { s, events } = fourKEvents();
    // The tracker consumes TranscriptReady last (its topic lagged): reconcile() used to finish the package
    // again at the transcript's time, 380 s before the package started.
    const order = [...events.filter((e) => e.type !== 'TranscriptReady'), events[1]];
    const { job: j } = run(job(s), order);
    expect(j.status).toBe('completed');
    expect(entry(j, 'package')).toMatchObject({
      status: 'completed',
      queued_at: t(400),
      started_at: t(401),
      finished_at: t(420),
    });
    expectOrderedTimes(j);
  });

  it('keeps every stage in time order in any consumption order of the 4K job', () => {
    const { s, events } = fourKEvents();
    for (const order of permutations(events)) {
      const { job: j } = run(job(s), order);
      expect(j.status).toBe('completed');
      expectOrderedTimes(j);
    }
  });

  it('a skip decided by an event consumed late is not stamped before the stage started', () => {
    const s = spec();
    const silent = { ...validated(s) };
    if (silent.type === 'VideoValidated')
      silent.event = { ...silent.event, media: { ...silent.event.media, has_audio: false, audio_codec: null } };
    const renditions = at(renditionsReady(s), t(400));
    if (renditions.type === 'RenditionsReady')
      renditions.event = {
        ...renditions.event,
        media: { ...renditions.event.media, has_audio: false, audio_codec: null },
      };
    const { job: j } = run(job(s), [
      renditions,
      progressAt('package', 0, t(401)),
      at(packaged(s, false), t(420)),
      at(silent, t(2)),
    ]);
    expect(j.status).toBe('completed');
    expect(entry(j, 'package')).toMatchObject({ status: 'completed', started_at: t(401) });
    expectOrderedTimes(j);
  });

  it('weights overall progress by stage cost: the transcode starting at 0 % is not 60 %', () => {
    const s = spec(); // validate, transcode, package, transcribe
    const start = run(job(s), [progressAt('validate', 0, t(1)), at(validated(s), t(2))]).job;
    expect(start.progress).toBe(STAGE_WEIGHTS.validate); // 5: only the validation is done
    const encoding = run(start, [progressAt('transcode', 0, t(3))]).job;
    expect(encoding.progress).toBe(5);
    const half = run(encoding, [progressAt('transcode', 50, t(4))]).job;
    expect(half.progress).toBe(5 + 45 / 2);
    const withoutTranscription = spec({ enable_transcription: false });
    const solo = run(job(withoutTranscription), [at(validated(withoutTranscription), t(2))]).job;
    // Stages a job does not run are left out: 5 of 60 → 8.3 %.
    expect(solo.progress).toBe(8.3);
  });

  it('overall progress never goes back: not on a durable retry, not on a failure, not in any event order', () => {
    const s = spec();
    const before = run(job(s), [at(validated(s), t(2)), progressAt('transcode', 80, t(10))]).job;
    const restarted = run(before, [
      waitingRetry('transcode', 2, t(400), 'STORAGE_UNAVAILABLE', Date.parse(t(11))),
      progressAt('transcode', 5, t(401)), // the retried encode starts over
    ]).job;
    expect(entry(restarted, 'transcode').progress).toBe(5);
    expect(restarted.progress).toBe(before.progress);
    const broken = run(restarted, [failed(s, 'transcribe', 'TRANSCRIPTION_FAILED')]).job;
    expect(broken.progress).toBe(before.progress);

    const { s: s4k, events } = fourKEvents();
    for (const order of permutations(events)) {
      const { outcomes } = run(job(s4k), order);
      const seen = outcomes.map((o) => o.job.progress);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(seen.at(-1)).toBe(100);
    }
  });

  it('reports the job finished once, with its outcome, error code and duration', () => {
    const s = spec({ enable_transcription: false });
    const { outcomes } = run(job(s), [
      at(validated(s), t(2)),
      at(renditionsReady(s), t(9)),
      at(packaged(s, false), t(11)),
      at(packaged(s, false), t(12)),
    ]);
    expect(outcomes.map((o) => o.finished ?? null)).toEqual([
      null,
      null,
      { outcome: 'completed', errorCode: null, durationSeconds: 600 },
      null,
    ]);
    const failing = run(job(s), [failed(s, 'transcode', 'TRANSCODE_FAILED'), failed(s, 'package', 'INTERNAL_ERROR')]);
    expect(failing.outcomes.map((o) => o.finished ?? null)).toEqual([
      { outcome: 'failed', errorCode: 'TRANSCODE_FAILED', durationSeconds: 600 },
      null,
    ]);
  });

  it('reports the wait before the first stage started, once, on the first attempt only', () => {
    const s = spec({ enable_transcription: false });
    const { job: j, outcomes } = run(job(s), [
      waitingRetry('validate', 2, t(30), 'STORAGE_UNAVAILABLE', Date.parse(t(4))),
      progressAt('validate', 10, t(31)),
      at(validated(s), t(32)),
      progressAt('transcode', 0, t(40)),
    ]);
    // The parked retry is the validator having started (at 4 s): that is when the job left the line.
    expect(outcomes.map((o) => o.queueWaitSeconds ?? null)).toEqual([4, null, null, null]);
    const retried: JobRecord = { ...structuredClone(j), attempt: 2 };
    retried.timeline = retried.timeline.map((e): TimelineEntry => ({ ...e, started_at: null }));
    expect(applyTrackerEvent(retried, progressAt('transcode', 0, t(50)), now).queueWaitSeconds ?? null).toBeNull();
  });

  it('takes a started reading consumed after the stage finished as its start (and the end of the job’s wait)', () => {
    const s = spec({ enable_transcription: false, enable_hls: false });
    // VideoValidated (tf.video.validated) applied before the validator's started reading (tf.job.progress).
    const validatedFirst = run(job(s), [at(validated(s), t(5))]).job;
    expect(entry(validatedFirst, 'validate')).toMatchObject({
      status: 'completed',
      started_at: t(0),
      finished_at: t(5),
    });
    const late = applyTrackerEvent(validatedFirst, progressAt('validate', 0, t(3)), now);
    expect(entry(late.job, 'validate')).toMatchObject({
      status: 'completed',
      queued_at: t(0),
      started_at: t(3),
      finished_at: t(5),
    });
    expect(late.queueWaitSeconds).toBe(3);
    expect(late.changes).toEqual([
      expect.objectContaining({ type: 'stage', stage: 'validate', stage_status: 'completed' }),
    ]);
    // Not a later reading of the work, not a second start, nothing outside the stage's span.
    expect(applyTrackerEvent(validatedFirst, progressAt('validate', 50, t(3)), now).changes).toEqual([]);
    expect(applyTrackerEvent(late.job, progressAt('validate', 0, t(4)), now).changes).toEqual([]);
    expect(applyTrackerEvent(validatedFirst, progressAt('validate', 0, t(9)), now).changes).toEqual([]);
  });
});
