import { Dependency, dependencyOf } from './dependency';
import { JobErrorCode, isJobErrorCode, jobErrorInfo } from './job-error-codes';
import { redact } from './redact';

/** What a failed job says: a listed code, a public message, and whether it was an outage (retry durably) or not. */
export interface JobError {
  code: JobErrorCode;
  message: string;
  /** An infrastructure outage (storage, database, broker, network): retry later instead of failing. */
  transient: boolean;
  /** A retry of the job may succeed without a new upload. */
  retryable: boolean;
}

/** A product error the caller names itself (e.g. a validation verdict); the message is redacted all the same. */
export function productError(code: JobErrorCode, message?: string): JobError {
  const info = jobErrorInfo(code);
  const text = message?.trim() ? redact(message.trim()).slice(0, MAX_MESSAGE) : info.message;
  return { code, message: text, transient: info.transient, retryable: info.retryable };
}

/**
 * Maps any error to a product error. An error that carries a listed `code` (NonRetryableError,
 * MediaProbeError, a rejection) keeps it and its own (redacted) message; library and system errors are
 * classified (S3, kafkajs, PostgreSQL, errnos, ffmpeg's words) and get the code's public message, never
 * theirs: "connect ECONNREFUSED 127.0.0.1:9000" becomes STORAGE_UNAVAILABLE, "Object storage was unavailable".
 * `stage` picks the code for a failed ffmpeg run (transcode → TRANSCODE_FAILED, ...).
 */
export function toJobError(error: unknown, stage?: string): JobError {
  const chain = causeChain(error);
  const dependency = chain.map(dependencyOf).find(Boolean);
  for (const e of chain) {
    const own = (e as { code?: unknown })?.code;
    if (isJobErrorCode(own)) return productError(own, messageOf(e));
  }
  for (const e of chain) {
    const code = classify(e, dependency);
    if (code) return productError(code);
  }
  const ffmpeg = chain.find(isFfmpegFailure);
  if (ffmpeg)
    return productError(classifyFfmpegMessage(messageOf(ffmpeg)) ?? STAGE_FAILURE[stage ?? ''] ?? 'INTERNAL_ERROR');
  return productError('INTERNAL_ERROR');
}

/** True for outages of the platform's infrastructure, which a stage retries durably instead of failing the job. */
export const isTransientError = (error: unknown): boolean => toJobError(error).transient;

const MAX_MESSAGE = 500;

const STAGE_FAILURE: Record<string, JobErrorCode> = {
  transcode: 'TRANSCODE_FAILED',
  package: 'PACKAGING_FAILED',
  transcribe: 'TRANSCRIPTION_FAILED',
};

const DEPENDENCY_CODE: Record<Dependency, JobErrorCode> = {
  storage: 'STORAGE_UNAVAILABLE',
  database: 'DATABASE_UNAVAILABLE',
  broker: 'BROKER_UNAVAILABLE',
};

/** Errnos (and undici/Node codes) that mean "the peer could not be reached or went away". */
const NETWORK_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** S3 answers about the object itself (the caller asked for something that is not there or not allowed). */
const S3_MISSING = new Set(['NoSuchKey', 'NotFound']);
const S3_REFUSED = new Set([
  'AccessDenied',
  'NoSuchBucket',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AllAccessDisabled',
  'InvalidObjectState',
]);
/** S3 answers of a server that cannot serve right now (5xx, throttling). */
const S3_OUTAGE = new Set([
  'InternalError',
  'ServiceUnavailable',
  'SlowDown',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'XMinioServerNotInitialized',
  'XMinioStorageFull',
]);

/** PostgreSQL SQLSTATE classes of an unavailable server: connection exceptions, resources, operator intervention. */
const PG_UNAVAILABLE = /^(08|53|57P0[1-4])/;
const PG_CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|terminating connection due to administrator command|the database system is (starting up|shutting down|in recovery mode)|Client has encountered a connection error|Connection is not established/i;

function classify(e: unknown, dependency: Dependency | undefined): JobErrorCode | undefined {
  if (e === null || typeof e !== 'object') return undefined;
  const { name, code, message } = e as { name?: unknown; code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (name === 'S3Error' || 'amzRequestid' in e) {
    if (typeof code === 'string' && S3_MISSING.has(code)) return 'SOURCE_MISSING';
    if (typeof code === 'string' && S3_REFUSED.has(code)) return 'SOURCE_UNREADABLE';
    if (typeof code === 'string' && S3_OUTAGE.has(code)) return 'STORAGE_UNAVAILABLE';
    return undefined;
  }
  if (typeof name === 'string' && name.startsWith('KafkaJS')) return 'BROKER_UNAVAILABLE';
  if ('severity' in e && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code))
    return PG_UNAVAILABLE.test(code) ? 'DATABASE_UNAVAILABLE' : undefined;
  if (PG_CONNECTION_MESSAGES.test(text)) return 'DATABASE_UNAVAILABLE';
  if (typeof code === 'string' && NETWORK_ERRNOS.has(code))
    return dependency ? DEPENDENCY_CODE[dependency] : 'DEPENDENCY_UNAVAILABLE';
  if (dependency && (name === 'TimeoutError' || text === 'socket hang up')) return DEPENDENCY_CODE[dependency];
  return undefined;
}

/** ffmpeg/ffprobe read the source over a presigned URL of our own S3: what its HTTP errors say about the source. */
function classifyFfmpegMessage(message: string): JobErrorCode | undefined {
  if (/Server returned 404|404 Not Found/i.test(message)) return 'SOURCE_MISSING';
  if (/Server returned 40[13]|40[13] (Forbidden|Unauthorized)/i.test(message)) return 'SOURCE_UNREADABLE';
  if (
    /Server returned 5\d\d|Connection refused|Connection reset|Connection timed out|Network is unreachable|Operation timed out/i.test(
      message,
    )
  )
    return 'STORAGE_UNAVAILABLE';
  return undefined;
}

const isFfmpegFailure = (e: unknown): boolean =>
  (e as { name?: unknown })?.name === 'FfmpegExitError' || /\bff(mpeg|probe)\b/i.test(messageOf(e));

const messageOf = (e: unknown): string =>
  e instanceof Error
    ? e.message
    : typeof (e as { message?: unknown })?.message === 'string'
      ? (e as { message: string }).message
      : String(e ?? '');

/** The error, its `cause`s and an AggregateError's members (fetch failures hide the errno in `cause`). */
function causeChain(error: unknown): unknown[] {
  const seen: unknown[] = [];
  const queue = [error];
  while (queue.length && seen.length < 10) {
    const e = queue.shift();
    if (e === undefined || e === null || seen.includes(e)) continue;
    seen.push(e);
    if (typeof e === 'object') {
      queue.push((e as { cause?: unknown }).cause);
      const members = (e as { errors?: unknown }).errors;
      if (Array.isArray(members)) queue.push(...members);
      queue.push((e as { driverError?: unknown }).driverError);
    }
  }
  return seen;
}

/**
 * A {code, message} received from elsewhere (an event of an older producer, a stored row) made safe to
 * store and show: an unlisted code becomes INTERNAL_ERROR, the message is redacted.
 */
export function publicJobError(code: string, message: string): { code: JobErrorCode; message: string } {
  if (!isJobErrorCode(code)) return { code: 'INTERNAL_ERROR', message: jobErrorInfo('INTERNAL_ERROR').message };
  return { code, message: message.trim() ? redact(message).slice(0, MAX_MESSAGE) : jobErrorInfo(code).message };
}
