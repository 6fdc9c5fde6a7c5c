import { attributeTo } from '@tf/errors';
import type { KafkaMessage, Producer, ProducerRecord } from 'kafkajs';
import { DurableRetries, NonRetryableError, readRetryHeaders, type AvroCodec } from '@tf/messaging';
import { jobStageOutcomes } from './job-stage-outcomes';

const NOW = 1_700_000_000_000;
const config = { retries: 3, firstDelayMs: 5_000, maxDelayMs: 12_000 };

/** Kafka and the registry are the boundary faked here: sends are recorded, the codec keeps the event as JSON. */
function fakes() {
  const sent: ProducerRecord[] = [];
  const producer = { send: async (record: ProducerRecord) => void sent.push(record) } as unknown as Producer;
  const codec = {
    encode: async (_type: string, event: object) => Buffer.from(JSON.stringify(event)),
  } as unknown as AvroCodec;
  return { sent, producer, codec };
}

const message: KafkaMessage = {
  key: Buffer.from('job-1'),
  value: Buffer.from('avro bytes'),
  headers: { traceparent: Buffer.from('00-t-s-01') },
  offset: '17',
  timestamp: '0',
  attributes: 0,
};
// What the S3 client throws while S3 is stopped, attributed to storage by its repository.
const s3Down = attributeTo(
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9000'), { code: 'ECONNREFUSED' }),
  'storage',
);
const event = { job_id: 'job-1', spec: { priority: 'high' } };

// The generic DurableRetries of libs/messaging, with a job stage's outcome events (what the stages run).
describe('DurableRetries.park', () => {
  it('parks an outage on the next level, untouched, due after that level’s delay, and announces the wait to the job status', async () => {
    const { sent, producer, codec } = fakes();
    const retries = new DurableRetries('tf-hls', config, codec, jobStageOutcomes('package'), () => NOW);
    const scheduled = await retries.park(producer, {
      originalTopic: 'tf.video.renditions.high',
      currentLevel: 1,
      message,
      event,
      error: s3Down,
    });
    expect(scheduled).toEqual({ level: 2, topic: 'tf.retry.tf-hls.2', dueAt: NOW + 10_000 });
    const [parked, status] = sent;
    expect(parked.topic).toBe('tf.retry.tf-hls.2');
    expect(parked.messages[0]).toMatchObject({ key: message.key, value: message.value });
    const headers = Object.fromEntries(
      Object.entries(parked.messages[0].headers!).map(([k, v]) => [k, Buffer.from(String(v))]),
    );
    expect(readRetryHeaders(headers)).toEqual({
      originalTopic: 'tf.video.renditions.high',
      level: 2,
      dueAt: NOW + 10_000,
    });
    expect(String(parked.messages[0].headers!.traceparent)).toBe('00-t-s-01');
    // The status event goes to the job's priority lane, keyed by the job, with the coming attempt and its time.
    expect(status.topic).toBe('tf.job.progress.high');
    expect(JSON.parse(String(status.messages[0].value))).toMatchObject({
      job_id: 'job-1',
      stage: 'package',
      attempt: 3,
      next_attempt_at: NOW + 10_000,
      message: 'STORAGE_UNAVAILABLE',
    });
  });

  it('gives nothing to retry for permanent failures or once the last level failed', async () => {
    const { sent, producer, codec } = fakes();
    const retries = new DurableRetries('tf-hls', config, codec, jobStageOutcomes('package'), () => NOW);
    expect(
      await retries.park(producer, {
        originalTopic: 't',
        currentLevel: 0,
        message,
        event,
        error: new NonRetryableError('NOT_MEDIA', 'Connection refused'),
      }),
    ).toBeNull();
    expect(
      await retries.park(producer, {
        originalTopic: 't',
        currentLevel: 0,
        message,
        event,
        error: new Error('ffmpeg exited with code 1: Invalid argument'),
      }),
    ).toBeNull();
    expect(
      await retries.park(producer, { originalTopic: 't', currentLevel: 3, message, event, error: s3Down }),
    ).toBeNull();
    expect(sent).toEqual([]);
  });

  it('sends no status event for a group that is not a job stage (the gateway’s tracker)', async () => {
    const { sent, producer, codec } = fakes();
    const retries = new DurableRetries('tf-gateway-jobs', config, codec, undefined, () => NOW);
    const pgDown = Object.assign(new Error('Connection terminated unexpectedly'), {});
    expect(
      await retries.park(producer, {
        originalTopic: 'tf.video.packaged',
        currentLevel: 0,
        message,
        event,
        error: pgDown,
      }),
    ).toMatchObject({ level: 1 });
    expect(sent.map((r) => r.topic)).toEqual(['tf.retry.tf-gateway-jobs.1']);
  });
});

describe('jobStageOutcomes.givenUp (give-up → JobFailed)', () => {
  const outcomes = jobStageOutcomes('transcode');

  it('fails the job with the stage, the attempts and the failure’s product code, in the job’s lane', () => {
    const failed = outcomes.givenUp!({
      topic: 'tf.video.validated',
      key: 'job-1',
      event: { event_id: 'e1', ...event },
      attempts: 5,
      error: s3Down,
    });
    expect(failed).toMatchObject({
      type: 'JobFailed',
      event: {
        job_id: 'job-1',
        attempt: 5,
        stage: 'transcode',
        code: 'STORAGE_UNAVAILABLE',
        spec: { priority: 'high' },
      },
    });
    expect(failed!.topic).toBeUndefined();
  });

  it('keeps a NonRetryableError’s code, and names the stage’s own failure for an ffmpeg error', () => {
    expect(
      outcomes.givenUp!({
        topic: 't',
        key: 'job-1',
        event,
        attempts: 1,
        error: new NonRetryableError('SOURCE_MISSING'),
      }),
    ).toMatchObject({ event: { code: 'SOURCE_MISSING', retryable: false } });
    expect(
      outcomes.givenUp!({
        topic: 't',
        key: 'job-1',
        event,
        attempts: 5,
        error: new Error('ffmpeg exited with code 1: Invalid argument'),
      }),
    ).toMatchObject({ event: { code: 'TRANSCODE_FAILED' } });
  });

  it('takes the job id from the key when the event could not be decoded, and emits nothing without either', () => {
    expect(outcomes.givenUp!({ topic: 't', key: 'job-9', attempts: 1, error: new Error('bad bytes') })).toMatchObject({
      event: { job_id: 'job-9', spec: null },
    });
    expect(outcomes.givenUp!({ topic: 't', key: null, attempts: 1, error: new Error('bad bytes') })).toBeNull();
  });

  it('takes the job id of a part’s key (<job_id>:<index>, :audio, :assemble) when the event could not be decoded', () => {
    const jobId = '3f1c2b9a-8d4e-4f0a-9b7c-1e2d3c4b5a69';
    for (const key of [`${jobId}:3`, `${jobId}:audio`, `${jobId}:assemble`]) {
      expect(
        outcomes.givenUp!({ topic: 'tf.video.chunks', key, attempts: 1, error: new Error('bad bytes') }),
      ).toMatchObject({ event: { job_id: jobId } });
      expect(outcomes.retryScheduled!({ key, level: 0, dueAt: 1, reason: 'r' })).toMatchObject({
        event: { job_id: jobId },
      });
    }
    // Only a job id's suffix is a part: other keys are kept whole.
    expect(outcomes.givenUp!({ topic: 't', key: 'job-9:3', attempts: 1, error: new Error('bad') })).toMatchObject({
      event: { job_id: 'job-9:3' },
    });
  });
});
