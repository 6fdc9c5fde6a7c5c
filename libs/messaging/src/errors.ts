import { JobErrorCode, jobErrorInfo } from '@tf/errors';

/**
 * An error that retrying cannot fix (bad input, a contract violation). The transport skips the
 * remaining attempts and gives up at once: dead-letter plus a JobFailed with this code, which must be
 * one of the documented job error codes (@tf/errors) and whose message is public text.
 */
export class NonRetryableError extends Error {
  constructor(
    readonly code: JobErrorCode,
    /** Public text; the code's documented message when omitted. */
    message: string = jobErrorInfo(code).message,
  ) {
    super(message);
    this.name = 'NonRetryableError';
  }
}

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
