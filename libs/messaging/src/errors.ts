/**
 * An error that retrying cannot fix (bad input, a contract violation). The transport skips the
 * remaining attempts and gives up at once: dead-letter plus a JobFailed with this code.
 */
export class NonRetryableError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'NonRetryableError';
  }
}

/** UPPER_SNAKE code of an error for JobFailed; falls back to a generic one. */
export function errorCode(error: unknown, fallback = 'PROCESSING_FAILED'): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code) ? code : fallback;
}

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
