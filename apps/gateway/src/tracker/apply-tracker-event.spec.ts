import { JobRecord } from '../jobs/job-record';
import { TrackerOutcome, applyTrackerEvent } from './apply-tracker-event';
import {
  failed,
  job,
  media,
  packaged,
  progress,
  progressAt,
  renditionsReady,
  spec,
  transcriptReady,
  validated,
  waitingRetry,
  applyAll,
} from './tracker-fixtures';
import { TrackerEvent } from './tracker-event';

const now = new Date('2025-01-01T00:01:00Z');

const run = (start: JobRecord, events: TrackerEvent[]) => applyAll(start, events, now);

const stages = (j: JobRecord) => Object.fromEntries(j.timeline.map((e) => [e.stage, e.status]));
const completions = (outcomes: TrackerOutcome[]) => outcomes.filter((o) => o.completedOutputs).length;

describe('applyTrackerEvent', () => {
  it('starts queued with the upload done and validation queued (until the validator reports it started)', () => {
    expect(job().status).toBe('queued');
    expect(stages(job())).toEqual({
      upload: 'completed',
      validate: 'queued',
      transcode: 'pending',
      package: 'pending',
      transcribe: 'pending',
    });
    expect(stages(job(spec({ enable_hls: false, enable_transcription: false })))).toEqual({
      upload: 'completed',
      validate: 'queued',
      transcode: 'pending',
    });
  });

  it('completes a job without transcription once renditions and packaging are in, exactly once', () => {
    const s = spec({ enable_transcription: false });
    const { job: j, outcomes } = run(job(s), [
      validated(s),
      renditionsReady(s),
      packaged(s, false),
      packaged(s, false),
    ]);
    expect(j.status).toBe('completed');
    expect(completions(outcomes)).toBe(1);
    expect(outcomes[2].completedOutputs?.map((o) => o.label)).toEqual(['360p', 'master', 'mp3', 'thumb-1', 'thumb-2']);
    expect(j.outputs).toEqual(outcomes[2].completedOutputs);
    expect(j.completedAt).toEqual(now);
    expect(stages(j)).toEqual({
      upload: 'completed',
      validate: 'completed',
      transcode: 'completed',
      package: 'completed',
    });
    expect(outcomes[2].changes.map((c) => c.type)).toEqual(['stage', 'completed']);
  });

  it('with a transcript expected, waits for TranscriptReady and the packaging with subtitles', () => {
    const s = spec();
    const { job: j, outcomes } = run(job(s), [
      validated(s),
      renditionsReady(s),
      packaged(s, false),
      transcriptReady(s),
    ]);
    expect(j.status).toBe('processing');
    expect(completions(outcomes)).toBe(0);
    expect(j.timeline.find((e) => e.stage === 'package')).toMatchObject({
      status: 'running',
      detail: expect.stringContaining('waiting for the transcript'),
    });
    const done = applyTrackerEvent(j, packaged(s, true), now);
    expect(done.job.status).toBe('completed');
    expect(done.completedOutputs?.filter((o) => o.kind === 'transcript').map((o) => o.label)).toEqual([
      'srt',
      'vtt',
      'json',
      'txt',
    ]);
    expect(stages(done.job).package).toBe('completed');
  });

  it('reaches the same result in any event order', () => {
    const s = spec();
    const events = [validated(s), renditionsReady(s), packaged(s, false), transcriptReady(s), packaged(s, true)];
    const orders = [events, [...events].reverse(), [events[3], events[4], events[0], events[2], events[1]]];
    for (const order of orders) {
      const { job: j, outcomes } = run(job(s), order);
      expect(j.status).toBe('completed');
      expect(completions(outcomes)).toBe(1);
      expect(j.packaged?.has_subtitles).toBe(true);
      expect(j.outputs?.length).toBe(9); // 360p, master, mp3, 2 thumbnails, 4 transcript formats
    }
  });

  it('skips the transcript of a silent source and completes on packaging without subtitles', () => {
    const s = spec();
    const silent = media({ has_audio: false, audio_codec: null });
    const { job: j } = run(job(s), [validated(s, silent), renditionsReady(s, silent), packaged(s, false)]);
    expect(j.status).toBe('completed');
    expect(j.timeline.find((e) => e.stage === 'transcribe')).toMatchObject({
      status: 'skipped',
      detail: expect.stringMatching(/^NO_AUDIO/),
    });
  });

  it('fails on the first JobFailed; later failures only mark their stage; nothing completes after', () => {
    const s = spec();
    const { job: j, outcomes } = run(job(s), [
      validated(s),
      failed(s, 'transcode', 'TRANSCODE_FAILED'),
      failed(s, 'transcribe', 'TRANSCRIPTION_FAILED'),
      renditionsReady(s),
      transcriptReady(s),
      packaged(s, true),
    ]);
    expect(j.status).toBe('failed');
    expect(j.error).toEqual({ code: 'TRANSCODE_FAILED', message: 'transcode went wrong' });
    expect(completions(outcomes)).toBe(0);
    expect(outcomes[1].changes).toEqual([
      expect.objectContaining({ type: 'failed', stage: 'transcode', error: j.error }),
    ]);
    expect(outcomes[2].changes).toEqual([
      expect.objectContaining({ type: 'stage', stage: 'transcribe', stage_status: 'failed' }),
    ]);
    expect(stages(j).transcode).toBe('failed');
    expect(stages(j).transcribe).toBe('failed');
  });

  it('keeps a completed job completed when a late failure arrives', () => {
    const s = spec({ enable_transcription: false, enable_hls: false });
    const { job: j } = run(job(s), [renditionsReady(s), failed(s, 'notify', 'INTERNAL_ERROR')]);
    expect(j.status).toBe('completed');
    expect(j.error).toBeNull();
    expect(j.timeline.find((e) => e.stage === 'notify')).toMatchObject({
      status: 'failed',
      detail: expect.stringContaining('INTERNAL_ERROR'),
    });
  });

  it('stores only listed codes and redacted messages, in the error and the timeline', () => {
    const s = spec();
    const leaky = failed(s, 'validate', 'SOURCE_MISSING');
    if (leaky.type === 'JobFailed')
      leaky.event.message =
        'ffprobe: http://127.0.0.1:9000/raw-videos/a.mp4?X-Amz-Signature=ab12 [http @ 0x55d1c2a0] 404 in /tmp/tf-x/a.mp4';
    const { job: j } = run(job(s), [leaky]);
    expect(j.error).toEqual({ code: 'SOURCE_MISSING', message: 'ffprobe: <url> [http @ <addr>] 404 in <path>' });
    expect(j.timeline.find((e) => e.stage === 'validate')?.detail).toBe(
      'SOURCE_MISSING: ffprobe: <url> [http @ <addr>] 404 in <path>',
    );

    // An older producer's raw errno code is not passed on.
    const legacy = failed(s, 'transcode', 'ECONNREFUSED');
    if (legacy.type === 'JobFailed') legacy.event.message = 'connect ECONNREFUSED 127.0.0.1:9000';
    const { job: k } = run(job(s), [legacy]);
    expect(k.error).toEqual({ code: 'INTERNAL_ERROR', message: 'An internal error stopped the job.' });
    expect(JSON.stringify(k.timeline)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);

    const p = applyTrackerEvent(job(s), progress('transcode', 10, 'reading /tmp/tf-transcode-1/source.mp4'), now);
    expect(p.job.timeline.find((e) => e.stage === 'transcode')?.detail).toBe('reading <path>');
  });

  it('records progress on running stages, moving the job to processing, and ignores it on finished ones', () => {
    const s = spec();
    const p = applyTrackerEvent(job(s), progress('transcode', 42.345, 'frame 100'), now);
    expect(p.job.status).toBe('processing');
    expect(p.job.timeline.find((e) => e.stage === 'transcode')).toMatchObject({
      status: 'running',
      progress: 42.3,
      detail: 'frame 100',
    });
    expect(p.changes).toEqual([expect.objectContaining({ type: 'progress', stage: 'transcode', percent: 42.3 })]);
    const done = applyTrackerEvent(p.job, renditionsReady(s), now).job;
    const late = applyTrackerEvent(done, progress('transcode', 99), now);
    expect(late.changes).toEqual([]);
    expect(late.job).toBe(done);
    expect(
      applyTrackerEvent(done, progress('transcode', 150), now).job.timeline.find((e) => e.stage === 'transcode')
        ?.progress,
    ).toBe(100);
  });

  it('shows a stage waiting for a retry (attempt, next try, reason) and keeps its progress until it proceeds', () => {
    const s = spec();
    const started = run(job(s), [validated(s), progressAt('transcode', 40, '2025-01-01T00:00:10Z')]).job;
    const waiting = applyTrackerEvent(
      started,
      waitingRetry('transcode', 2, '2025-01-01T00:05:30Z', 'STORAGE_UNAVAILABLE'),
      now,
    );
    const entry = waiting.job.timeline.find((e) => e.stage === 'transcode');
    expect(entry).toMatchObject({
      status: 'running',
      progress: 40,
      retry: { attempt: 2, next_attempt_at: '2025-01-01T00:05:30.000Z', reason: 'STORAGE_UNAVAILABLE' },
    });
    expect(entry?.detail).toContain('attempt 2');
    expect(waiting.job.status).toBe('processing');
    expect(waiting.changes).toEqual([expect.objectContaining({ type: 'progress', stage: 'transcode', percent: 40 })]);
    // A report from before the wait (delivered late by the outbox) does not end it; a newer one does.
    const stale = applyTrackerEvent(waiting.job, progressAt('transcode', 45, '2025-01-01T00:00:20Z'), now);
    expect(stale.changes).toEqual([]);
    const resumed = applyTrackerEvent(waiting.job, progressAt('transcode', 10, '2025-01-01T00:05:31Z'), now).job;
    expect(resumed.timeline.find((e) => e.stage === 'transcode')).toMatchObject({
      status: 'running',
      progress: 10,
      retry: null,
    });
  });

  it('ends a retry wait when the stage finishes or fails', () => {
    const s = spec({ enable_transcription: false });
    const waitingValidation = applyTrackerEvent(
      job(s),
      waitingRetry('validate', 2, '2025-01-01T00:05:30Z', 'STORAGE_UNAVAILABLE'),
      now,
    ).job;
    expect(waitingValidation.timeline.find((e) => e.stage === 'validate')?.retry).toMatchObject({ attempt: 2 });
    const validatedJob = applyTrackerEvent(waitingValidation, validated(s), now).job;
    expect(validatedJob.timeline.find((e) => e.stage === 'validate')).toMatchObject({
      status: 'completed',
      retry: null,
    });
    const waitingTranscode = applyTrackerEvent(
      validatedJob,
      waitingRetry('transcode', 4, '2025-01-01T00:35:30Z', 'DATABASE_UNAVAILABLE'),
      now,
    ).job;
    const failedJob = applyTrackerEvent(waitingTranscode, failed(s, 'transcode', 'DATABASE_UNAVAILABLE'), now).job;
    expect(failedJob.timeline.find((e) => e.stage === 'transcode')).toMatchObject({ status: 'failed', retry: null });
    // A wait reported after the stage finished changes nothing.
    expect(
      applyTrackerEvent(validatedJob, waitingRetry('validate', 3, '2025-01-01T00:15:30Z', 'STORAGE_UNAVAILABLE'), now)
        .changes,
    ).toEqual([]);
  });

  it('bumps the version on every change and leaves its input untouched', () => {
    const start = job();
    const before = structuredClone(start);
    const o = applyTrackerEvent(start, validated(spec()), now);
    expect(start).toEqual(before);
    expect(o.job.version).toBe(start.version + 1);
    expect(o.job.media?.has_audio).toBe(true);
    expect(stages(o.job)).toMatchObject({ validate: 'completed', transcode: 'queued', transcribe: 'queued' });
  });
});
