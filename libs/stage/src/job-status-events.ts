import type { Envelope, JobFailed, JobProgress } from '@tf/contracts';
import { JobError, isJobErrorCode, productError, redact } from '@tf/errors';

/**
 * The one place a JobFailed is built (the transport's give-up and the validator's verdict): the code
 * must be a documented job error code (the compiler checks `JobError`; this checks at run time too, for
 * values cast or decoded from elsewhere) and the message is public, already redacted text.
 */
export function jobFailedEvent(
  envelope: Envelope,
  failure: { spec: JobFailed['spec']; stage: string; error: JobError },
): JobFailed {
  const error = isJobErrorCode(failure.error.code) ? failure.error : productError('INTERNAL_ERROR');
  return {
    ...envelope,
    spec: failure.spec,
    stage: failure.stage,
    code: error.code,
    message: error.message,
    retryable: error.retryable,
  };
}

/** A JobProgress whose message (shown in the job's timeline) is redacted like every emitted text. */
export function jobProgressEvent(
  envelope: Envelope,
  progress: Omit<JobProgress, keyof Envelope | 'message' | 'next_attempt_at'> & {
    message?: string | null;
    next_attempt_at?: number | null;
  },
): JobProgress {
  return {
    ...envelope,
    ...progress,
    message: progress.message ? redact(progress.message) : null,
    next_attempt_at: progress.next_attempt_at ?? null,
  };
}
