import { PIPELINE_CONSUMER_GROUPS } from '@tf/contracts';
import { readDeadLetterRecord } from '@tf/messaging';
import { eventTypeOf, pipelineFirst, replayRouteFor } from './dead-letter-replay';

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
const route = (group: string, decoded: typeof envelope | null = envelope, key: string | null = JOB) =>
  replayRouteFor(deadLetterOf(group, key), decoded, PIPELINE_CONSUMER_GROUPS);

describe('replayRouteFor', () => {
  it("re-drives a stage's dead letter through the job retry, for that stage only (its inbox holds the event id: the same bytes would be skipped)", () => {
    expect(route('tf-validator')).toEqual({ action: 'job_retried', jobId: JOB, failedAt: 'validate' });
    expect(route('tf-transcoder')).toEqual({ action: 'job_retried', jobId: JOB, failedAt: 'transcode' });
    expect(route('tf-transcriber')).toEqual({ action: 'job_retried', jobId: JOB, failedAt: 'transcribe' });
    expect(route('tf-hls')).toEqual({ action: 'job_retried', jobId: JOB, failedAt: 'package' });
  });

  it("takes the job from the key when the stage's message does not decode", () => {
    expect(route('tf-transcoder', null)).toEqual({ action: 'job_retried', jobId: JOB, failedAt: 'transcode' });
  });

  it("hands the tracker's dead letter back to the tracker's group (the event id makes it once)", () => {
    expect(route(TRACKER)).toEqual({ action: 'redelivered', jobId: JOB });
  });

  it("does not replay the notifier's (a retry does not restart notifications) nor a group outside the pipeline", () => {
    expect(route('tf-notifier')).toMatchObject({ action: 'skip', jobId: JOB, code: 'NOT_REPLAYABLE' });
    expect(route('itest-group')).toMatchObject({ action: 'skip', code: 'NOT_REPLAYABLE' });
  });

  it('skips what cannot go back: no job named, bytes that do not decode, an unknown origin', () => {
    expect(route('tf-hls', null, null)).toMatchObject({ action: 'skip', jobId: null, code: 'DEAD_LETTER_UNREADABLE' });
    expect(route(TRACKER, null)).toMatchObject({ action: 'skip', jobId: JOB, code: 'DEAD_LETTER_UNREADABLE' });
    expect(replayRouteFor(deadLetterOf(TRACKER, JOB, null), envelope, PIPELINE_CONSUMER_GROUPS)).toMatchObject({
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

describe('pipelineFirst', () => {
  it("lists the pipeline groups' queues in the chain's order, then other groups' only when they hold dead letters", () => {
    const queue = (group: string, depth: number) => ({ group, topic: `tf.dlq.${group}`, depth });
    const listed = pipelineFirst(
      [
        queue('itest-a', 0),
        queue('itest-b', 2),
        queue('tf-notifier', 0),
        queue('tf-transcoder', 1),
        queue('tf-validator', 0),
      ],
      PIPELINE_CONSUMER_GROUPS,
    );
    expect(listed.map((q) => q.group)).toEqual(['tf-validator', 'tf-transcoder', 'tf-notifier', 'itest-b']);
  });
});
