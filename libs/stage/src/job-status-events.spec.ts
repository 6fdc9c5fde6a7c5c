import { newEnvelope } from '@tf/contracts';
import { JobError, JobErrorCode, productError, toJobError } from '@tf/errors';
import { NonRetryableError } from '@tf/messaging';
import { jobFailedEvent, jobProgressEvent } from './job-status-events';

const PRESIGNED = 'http://127.0.0.1:9000/raw-videos/t1/a.mp4?X-Amz-Credential=tf%2F2026&X-Amz-Signature=5f1e0c9d8b7a';

describe('jobFailedEvent', () => {
  it('carries the product code, public message and retryability', () => {
    const event = jobFailedEvent(newEnvelope('j1', 3), {
      spec: null,
      stage: 'transcode',
      error: toJobError(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9000'), { code: 'ECONNREFUSED' }),
        'transcode',
      ),
    });
    expect(event).toMatchObject({
      job_id: 'j1',
      attempt: 3,
      stage: 'transcode',
      code: 'DEPENDENCY_UNAVAILABLE',
      retryable: true,
    });
    expect(event.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });

  it('never emits a code outside the list, even one forced past the compiler', () => {
    const forged = {
      code: 'ECONNREFUSED' as JobErrorCode,
      message: 'x',
      transient: true,
      retryable: true,
    } satisfies JobError;
    expect(jobFailedEvent(newEnvelope('j1'), { spec: null, stage: 'validate', error: forged })).toMatchObject({
      code: 'INTERNAL_ERROR',
      message: 'An internal error stopped the job.',
    });
  });

  it('keeps a NonRetryableError code and redacts its message', () => {
    const error = new NonRetryableError('SOURCE_MISSING', `source gone at ${PRESIGNED}`);
    expect(
      jobFailedEvent(newEnvelope('j1'), { spec: null, stage: 'transcode', error: toJobError(error) }),
    ).toMatchObject({ code: 'SOURCE_MISSING', message: 'source gone at <url>', retryable: false });
    expect(productError('NOT_MEDIA').message).toBe('The file is not a video the platform can read.');
    // Without a message, the code's documented public message.
    expect(toJobError(new NonRetryableError('SOURCE_MISSING'))).toMatchObject({
      code: 'SOURCE_MISSING',
      message: 'The source file no longer exists in storage.',
    });
  });
});

describe('jobProgressEvent', () => {
  it('redacts the progress message', () => {
    expect(
      jobProgressEvent(newEnvelope('j1'), {
        stage: 'transcode',
        percent: 5,
        message: 'reading /tmp/tf-transcode-1/source.mp4',
      }).message,
    ).toBe('reading <path>');
    expect(jobProgressEvent(newEnvelope('j1'), { stage: 'transcode', percent: 5 }).message).toBeNull();
  });
});
