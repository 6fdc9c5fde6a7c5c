/** Base class: `retryable` tells a stage's retry policy whether trying the job again can help. */
export class TranscriptionError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The worker could not start: no python, no model, bad settings, or it died before it was ready. */
export class WhisperStartError extends TranscriptionError {
  constructor(message: string, retryable = false) {
    super(message, retryable);
  }
}

/** A job ran past its timeout; the worker was killed and is being restarted. */
export class WhisperTimeoutError extends TranscriptionError {
  constructor(
    message: string,
    readonly timeoutMs: number,
  ) {
    super(message, true);
    this.name = 'TimeoutError';
  }
}

/** The worker process died while a job was in flight; it is restarted on the next call. */
export class WhisperWorkerCrashedError extends TranscriptionError {
  constructor(message: string) {
    super(message, true);
  }
}

/** The worker answered {"ok": false} for this job (unreadable audio, unsupported language, ...). */
export class WhisperJobError extends TranscriptionError {
  constructor(message: string) {
    super(message, false);
  }
}

/** stop() was called while the job was queued or running. */
export class WhisperStoppedError extends TranscriptionError {
  constructor(message = 'the Whisper worker was stopped') {
    super(message, true);
  }
}
