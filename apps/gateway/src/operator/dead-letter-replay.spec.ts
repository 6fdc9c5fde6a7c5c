import { readDeadLetterRecord } from '@tf/messaging';
import { eventTypeOf, replayRouteFor } from './dead-letter-replay';

const JOB = '3f0c1e9a-8d55-4c1e-9a55-0c1e9a8d554c';
const TRACKER = 'tf-gateway-jobs';

const deadLetterOf = (
  group: string,
  key: string | null = JOB,
  originalTopic: string | null = 'tf.video.validated',
) => ({
  key,
  record: readDeadLetterRecord(group, {
    'tf-dlq-consumer-group': group,
    ...(originalTopic ? { 'tf-dlq-original-topic': originalTopic } : {}),
  }),
});
const envelope = { event_id: 'e-1', job_id: JOB };

describe('replayRouteFor', () => {
  it("re-drives a stage's dead letter through the job retry (its inbox holds the event id: the same bytes would be skipped)", () => {
    for (const group of ['tf-validator', 'tf-transcoder', 'tf-transcriber', 'tf-hls', 'tf-notifier'])
      expect(replayRouteFor(deadLetterOf(group), envelope, TRACKER)).toEqual({ action: 'job_retried', jobId: JOB });
  });

  it("takes the job from the key when the stage's message does not decode", () => {
    expect(replayRouteFor(deadLetterOf('tf-transcoder'), null, TRACKER)).toEqual({ action: 'job_retried', jobId: JOB });
  });

  it("hands the tracker's dead letter back to the tracker's group (the event id makes it once)", () => {
    expect(replayRouteFor(deadLetterOf(TRACKER), envelope, TRACKER)).toEqual({ action: 'redelivered', jobId: JOB });
  });

  it('skips what cannot go back: no job named, bytes that do not decode, an unknown origin', () => {
    expect(replayRouteFor(deadLetterOf('tf-hls', null), null, TRACKER)).toMatchObject({
      action: 'skip',
      jobId: null,
      code: 'DEAD_LETTER_UNREADABLE',
    });
    expect(replayRouteFor(deadLetterOf(TRACKER), null, TRACKER)).toMatchObject({
      action: 'skip',
      jobId: JOB,
      code: 'DEAD_LETTER_UNREADABLE',
    });
    expect(replayRouteFor(deadLetterOf(TRACKER, JOB, null), envelope, TRACKER)).toMatchObject({
      action: 'skip',
      code: 'DEAD_LETTER_UNREADABLE',
    });
  });
});

describe('eventTypeOf', () => {
  it('names the event of a pipeline topic in any lane, null for another topic', () => {
    expect(eventTypeOf('tf.video.validated.high')).toBe('VideoValidated');
    expect(eventTypeOf('tf.job.failed')).toBe('JobFailed');
    expect(eventTypeOf('tf.something.else')).toBeNull();
    expect(eventTypeOf(null)).toBeNull();
  });
});
