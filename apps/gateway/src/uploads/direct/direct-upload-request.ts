import type { EgressPolicy } from '@tf/egress';
import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../../http/api-error';
import { sourceContentType } from '../form/source-object';
import { assertKnownFields } from '../../http/known-fields';
import { JOB_FIELDS, JobRequest, parseUploadFields } from '../form/upload-fields';

/** POST /api/v1/uploads, validated. */
export interface DirectUploadRequest {
  filename: string;
  /** The client's type, or one guessed from the extension when it sent none or a generic one. */
  contentType: string;
  bytes: number;
  fields: JobRequest;
}

/** Every property of the request body; any other answers 400 UNKNOWN_FIELD. */
const REQUEST_FIELDS: readonly string[] = ['filename', 'bytes', 'content_type', ...JOB_FIELDS];
const MIME_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+$/;

/**
 * JSON values of the job fields as the form upload's text fields, so both go through the same
 * validation (parseUploadFields): a resolution list may be an array, flags may be booleans.
 */
function asFormFields(body: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const name of JOB_FIELDS) {
    const value = body[name];
    if (value === undefined || value === null) continue;
    fields[name] = Array.isArray(value) ? value.map(String).join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return fields;
}

/**
 * Validates the request for a direct upload: the file's name, type and size, and the same job fields
 * (with the same codes and defaults) as the multipart form. A declared size over `maxBytes` is refused
 * here, before any URL is handed out: 413 UPLOAD_TOO_LARGE.
 */
export function parseDirectUploadRequest(body: unknown, maxBytes: number, egress: EgressPolicy): DirectUploadRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ApiError.badRequest('INVALID_BODY', 'Send a JSON object: {"filename", "bytes", "content_type", ...job fields}');
  }
  const b = body as Record<string, unknown>;
  assertKnownFields(Object.keys(b), REQUEST_FIELDS);
  const filename = typeof b.filename === 'string' ? b.filename.trim() : '';
  if (!filename || filename.length > 1024) throw ApiError.badRequest('INVALID_FILENAME', 'filename must be a non-empty string of at most 1024 characters');
  if (b.content_type !== undefined && b.content_type !== null && (typeof b.content_type !== 'string' || !MIME_TYPE.test(b.content_type.trim()))) {
    throw ApiError.badRequest('INVALID_CONTENT_TYPE', 'content_type must be a media type such as video/mp4');
  }
  const bytes = b.bytes;
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) throw ApiError.badRequest('INVALID_SIZE', 'bytes must be the file size, a non-negative integer');
  if (bytes === 0) throw ApiError.badRequest('EMPTY_FILE', 'The file is empty');
  if (bytes > maxBytes) throw new ApiError(HttpStatus.PAYLOAD_TOO_LARGE, 'UPLOAD_TOO_LARGE', `The file exceeds ${maxBytes} bytes`);
  const fields = parseUploadFields(asFormFields(b), egress);
  const contentType = sourceContentType(typeof b.content_type === 'string' ? b.content_type.trim().toLowerCase() : '', filename);
  return { filename, contentType, bytes, fields };
}
