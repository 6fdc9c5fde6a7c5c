import { NonRetryableError } from '@tf/messaging';

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
  | 'RESOLUTION_TOO_HIGH'
  | 'ASPECT_RATIO_TOO_EXTREME'
  | 'VARIABLE_RESOLUTION'
  | 'TOO_MANY_FRAMES'
  | MediaLimitCode;

/** A run of ffmpeg/ffprobe went over its time budget or its resource limits (see runner/media-budget.ts). */
export type MediaLimitCode = 'MEDIA_TIMEOUT' | 'MEDIA_RESOURCE_LIMIT';

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

  constructor(
    readonly label: string,
    known: readonly string[],
  ) {
    super(`Unknown resolution "${label}"; expected one of ${known.join(', ')}`);
  }
}

/**
 * ffmpeg/ffprobe was stopped by its time budget (MEDIA_TIMEOUT) or its memory / CPU-time limit
 * (MEDIA_RESOURCE_LIMIT). Permanent: the same input gets the same budget on a retry. A NonRetryableError,
 * so a stage that lets it through fails the job at once with the code.
 */
export class MediaLimitExceededError extends NonRetryableError {
  constructor(
    override readonly code: MediaLimitCode,
    message: string,
  ) {
    super(code, message);
    this.name = 'MediaLimitExceededError';
  }

  toRejection(): MediaRejection {
    return { code: this.code, message: this.message };
  }
}

/** An input that is neither an absolute local path nor a URL of our object storage (a bug, never a tenant's choice). */
export class MediaInputRefusedError extends Error {
  override readonly name = 'MediaInputRefusedError';
  readonly code = 'MEDIA_INPUT_REFUSED' as const;
}
