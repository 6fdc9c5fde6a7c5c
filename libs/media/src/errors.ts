/**
 * Why a source was refused. The codes are machine-readable and stable: they go
 * into JobFailed events and API responses.
 */
export type MediaRejectionCode =
  | 'NOT_MEDIA'
  | 'NO_VIDEO_STREAM'
  | 'ZERO_DURATION'
  | 'CORRUPT_MEDIA'
  | 'DURATION_TOO_LONG'
  | 'FILE_TOO_LARGE'
  | 'RESOLUTION_TOO_HIGH';

export interface MediaRejection {
  code: MediaRejectionCode;
  message: string;
}

/**
 * ffprobe looked at the source and found it unusable. Carries the rejection
 * code so that validation can tell "bad media" (a verdict, never retried)
 * from "ffprobe is missing" or "S3 timed out" (plain errors, worth a retry).
 */
export class MediaProbeError extends Error {
  override readonly name = 'MediaProbeError';

  constructor(
    readonly code: Extract<MediaRejectionCode, 'NOT_MEDIA' | 'NO_VIDEO_STREAM' | 'CORRUPT_MEDIA'>,
    message: string,
  ) {
    super(message);
  }

  toRejection(): MediaRejection {
    return { code: this.code, message: this.message };
  }
}

/** A requested rendition label that the ladder does not know (client error). */
export class UnknownResolutionError extends Error {
  override readonly name = 'UnknownResolutionError';
  readonly code = 'UNKNOWN_RESOLUTION' as const;

  constructor(readonly label: string, known: readonly string[]) {
    super(`Unknown resolution "${label}"; expected one of ${known.join(', ')}`);
  }
}
