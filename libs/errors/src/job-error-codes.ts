/**
 * Every code a failed job can carry (JobFailed.code, the API's job `error.code`, the `job.failed` webhook).
 * This table is the one source: docs/errors.md is rendered from it (a test keeps them equal), the OpenAPI
 * document lists its keys as the enum of `error.code`, and JobFailed is only built from a JobErrorCode.
 *
 * - `retryable`: a retry of the job (POST /jobs/{id}/retry, or the platform's own retries) may succeed
 *   without a new upload.
 * - `transient`: an outage of the platform's own infrastructure (storage, database, broker, network); the
 *   stage retries these durably instead of failing the job.
 * - `message`: the public sentence a job gets when nothing more specific can be said safely.
 */
export interface JobErrorCodeInfo {
  category: JobErrorCategory;
  retryable: boolean;
  transient: boolean;
  message: string;
  meaning: string;
}

export type JobErrorCategory = 'media' | 'request' | 'source' | 'processing' | 'infrastructure' | 'internal';

const media = (message: string, meaning: string): JobErrorCodeInfo => ({
  category: 'media',
  retryable: false,
  transient: false,
  message,
  meaning,
});
const outage = (message: string, meaning: string): JobErrorCodeInfo => ({
  category: 'infrastructure',
  retryable: true,
  transient: true,
  message,
  meaning,
});

export const JOB_ERROR_CODES = {
  // The upload is not usable media (validator, libs/media validation): a new upload is needed.
  NOT_MEDIA: media(
    'The file is not a video the platform can read.',
    'ffprobe cannot read it and its first bytes are no known container (e.g. a text file named .mp4), or its container is not one the platform accepts (playlists such as HLS or ffconcat, SDP, images, raw streams).',
  ),
  CORRUPT_MEDIA: media(
    'The file looks like a video but is damaged or cut short.',
    'It starts like a container but cannot be read, or its last seconds do not decode.',
  ),
  NO_VIDEO_STREAM: media(
    'The file has no video stream.',
    'No video stream; cover art (an attached picture) does not count.',
  ),
  ZERO_DURATION: media('The video has no duration.', 'The container reports no duration.'),
  DURATION_TOO_LONG: media(
    'The video is longer than the platform accepts.',
    'Over the configured maximum duration (default 4 h).',
  ),
  FILE_TOO_LARGE: media(
    'The file is larger than the platform accepts.',
    'Over the configured maximum size (default 10 GiB); checked before probing.',
  ),
  RESOLUTION_TOO_HIGH: media(
    'The video resolution is higher than the platform accepts.',
    'Long side over 7680 or short side over 4320 pixels, in the header or in any decoded frame.',
  ),
  ASPECT_RATIO_TOO_EXTREME: media(
    'The picture is too narrow or too wide.',
    'The long side is more than 16 times the short side (e.g. 2x4320), in the header or a decoded key frame.',
  ),
  VARIABLE_RESOLUTION: media(
    'The picture size changes inside the video.',
    'A decoded key frame has another size than the one the header declares.',
  ),
  TOO_MANY_FRAMES: media(
    'The video has more frames than its duration allows.',
    'More video frames than 240 per second of duration (at least one second).',
  ),
  MEDIA_TIMEOUT: media(
    'Processing the video took longer than its time budget.',
    'An ffmpeg/ffprobe run went over its wall-clock budget (scaled by the duration); not retried.',
  ),
  MEDIA_RESOURCE_LIMIT: media(
    'Processing the video needed more memory or CPU time than allowed.',
    'An ffmpeg/ffprobe run hit its memory (address space) or CPU-time limit; not retried.',
  ),

  // The job asked for something the platform does not offer.
  UNKNOWN_RESOLUTION: {
    category: 'request',
    retryable: false,
    transient: false,
    message: 'A requested resolution is not one the platform offers.',
    meaning: 'A target resolution is not on the ladder (360p..2160p).',
  },

  // The source object in storage.
  SOURCE_MISSING: {
    category: 'source',
    retryable: false,
    transient: false,
    message: 'The source file no longer exists in storage.',
    meaning: 'The uploaded object was deleted before a stage read it; put it back, then retry the job.',
  },
  SOURCE_UNREADABLE: {
    category: 'source',
    retryable: false,
    transient: false,
    message: 'The source could not be read from storage.',
    meaning: 'Storage refused to give the source object (access denied, bucket missing).',
  },

  // A processing step failed on media the validator accepted.
  TRANSCODE_FAILED: {
    category: 'processing',
    retryable: true,
    transient: false,
    message: 'The video could not be transcoded.',
    meaning:
      'ffmpeg failed while encoding the renditions, audio or thumbnails; for a long (split) source, a part of it (a chunk, the whole-file audio or the assembly) failed on every attempt (the job fails once, whichever part failed first).',
  },
  PACKAGING_FAILED: {
    category: 'processing',
    retryable: true,
    transient: false,
    message: 'The HLS stream could not be packaged.',
    meaning: 'ffmpeg failed while cutting the renditions into HLS segments.',
  },
  TRANSCRIPTION_FAILED: {
    category: 'processing',
    retryable: false,
    transient: false,
    message: 'The audio could not be transcribed.',
    meaning: 'The speech-to-text engine refused or failed on the soundtrack.',
  },
  NO_RENDITIONS: {
    category: 'processing',
    retryable: false,
    transient: false,
    message: 'There were no renditions to package.',
    meaning: 'HLS packaging was asked for a job whose transcode produced no rendition.',
  },
  TRANSCRIPT_VTT_MISSING: {
    category: 'processing',
    retryable: false,
    transient: false,
    message: 'The transcript has no subtitle file to package.',
    meaning: 'TranscriptReady listed no WebVTT file for the HLS subtitles.',
  },
  INVALID_RENDITION_LABEL: {
    category: 'processing',
    retryable: false,
    transient: false,
    message: 'A rendition had an invalid name.',
    meaning: 'A rendition label is not a safe path segment for the HLS layout.',
  },

  // The platform's own infrastructure was unavailable longer than the stage's retries.
  STORAGE_UNAVAILABLE: outage(
    'Object storage was unavailable; the job can be retried.',
    'S3 refused connections, timed out or answered 5xx.',
  ),
  DATABASE_UNAVAILABLE: outage(
    'The database was unavailable; the job can be retried.',
    'PostgreSQL refused connections, dropped them or was shutting down.',
  ),
  BROKER_UNAVAILABLE: outage(
    'The message broker was unavailable; the job can be retried.',
    'Kafka (or its schema registry) could not be reached.',
  ),
  DEPENDENCY_UNAVAILABLE: outage(
    'A service the platform depends on was unavailable; the job can be retried.',
    'A network error (connection refused/reset, timeout, DNS) not attributed to one dependency.',
  ),

  // Defects and contract violations inside the platform.
  INTERNAL_ERROR: {
    category: 'internal',
    retryable: true,
    transient: false,
    message: 'An internal error stopped the job.',
    meaning: 'An unexpected error; the service log (same job_id and trace_id) has the details.',
  },
  NO_HANDLER: {
    category: 'internal',
    retryable: false,
    transient: false,
    message: 'An internal error stopped the job.',
    meaning: 'A stage received an event it has no handler for.',
  },
  MEDIA_INPUT_REFUSED: {
    category: 'internal',
    retryable: false,
    transient: false,
    message: 'An internal error stopped the job.',
    meaning: "A stage gave ffmpeg an input that is neither a local file nor a URL of the platform's own storage.",
  },
  EMPTY_MESSAGE: {
    category: 'internal',
    retryable: false,
    transient: false,
    message: 'An internal error stopped the job.',
    meaning: 'A stage received a Kafka message without a value.',
  },
} as const satisfies Record<string, JobErrorCodeInfo>;

export type JobErrorCode = keyof typeof JOB_ERROR_CODES;

/** The codes in table order (for enums and docs). */
export const JOB_ERROR_CODE_LIST = Object.keys(JOB_ERROR_CODES) as JobErrorCode[];

export const isJobErrorCode = (value: unknown): value is JobErrorCode =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(JOB_ERROR_CODES, value);

export const jobErrorInfo = (code: JobErrorCode): JobErrorCodeInfo => JOB_ERROR_CODES[code];
