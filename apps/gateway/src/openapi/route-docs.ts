import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorDto,
  CancelRequestDto,
  CancelResultDto,
  CompleteUploadDto,
  CreateUploadDto,
  DirectUploadDto,
  JobEventDto,
  JobListDto,
  JobViewDto,
  RetryResultDto,
  UploadAcceptedDto,
  UploadCompletedDto,
  UploadFormDto,
} from './schemas';

// OpenAPI decorators of the gateway's routes, kept here so a controller carries one line per
// handler. New routes may as well use @nestjs/swagger's decorators directly: openapi.ts fills in
// what they leave out (security, tags, the error responses), and test/api checks every route is described.

export const API_KEY_SCHEME = 'api-key';

const error = (status: number, description: string) => ApiResponse({ status, type: ApiErrorDto, description });

/** A controller of /api routes: its tag and the X-API-Key scheme. */
export const ApiController = (tag: string) => applyDecorators(ApiTags(tag), ApiSecurity(API_KEY_SCHEME));

const jobIdParam = ApiParam({ name: 'id', format: 'uuid', description: 'job_id' });
const uploadIdParam = ApiParam({ name: 'id', format: 'uuid', description: 'upload_id' });

export const DocsUploadJob = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Upload a video and create a job (scope jobs:write)',
      // Served by uploads/form's controller; the id it had when JobsController served it stays (SDK names).
      operationId: 'Jobs_upload',
      description: 'multipart/form-data, streamed to raw-videos/{job_id}/source{ext}; the job row and VideoUploaded commit together.',
    }),
    ApiConsumes('multipart/form-data'),
    ApiBody({ type: UploadFormDto }),
    ApiResponse({ status: 202, type: UploadAcceptedDto, description: 'Accepted: the job is queued' }),
    error(400, 'NO_FILE, EMPTY_FILE, MULTIPLE_FILES, UNKNOWN_RESOLUTION, INVALID_WEBHOOK_URL, INVALID_PRIORITY, INVALID_LANGUAGE, INVALID_BOOLEAN, INVALID_LABEL, MALFORMED_MULTIPART, UPLOAD_ABORTED, FIELD_TOO_LARGE, UNKNOWN_FIELD, DUPLICATE_FIELD, TOO_MANY_FIELDS'),
    error(413, 'UPLOAD_TOO_LARGE'),
    error(415, 'NOT_MULTIPART'),
    error(503, 'STORAGE_UNAVAILABLE'),
  );

export const DocsGetJob = () =>
  applyDecorators(
    ApiOperation({ summary: 'A job: status, timeline, outputs with presigned URLs (scope jobs:read)' }),
    jobIdParam,
    ApiResponse({ status: 200, type: JobViewDto }),
    error(404, 'JOB_NOT_FOUND (unknown id, or another tenant\'s job)'),
  );

export const DocsJobEvents = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Server-Sent Events of a job (scope jobs:read)',
      description:
        '`state` (data: the job, as GET /api/v1/jobs/{id}) first, then `progress` and `stage` events, ending with `completed` or `failed` ' +
        '(data carries the final job in `job`). The SSE id is the job version. `: heartbeat` comments keep idle streams open.',
    }),
    jobIdParam,
    ApiProduces('text/event-stream'),
    ApiResponse({ status: 200, type: JobEventDto, description: 'text/event-stream; each event\'s data is JSON' }),
    error(404, 'JOB_NOT_FOUND'),
  );

export const DocsListJobs = () =>
  applyDecorators(
    ApiOperation({ summary: 'The tenant\'s jobs, newest first, a page at a time (scope jobs:read)' }),
    ApiQuery({ name: 'status', required: false, enum: ['queued', 'processing', 'completed', 'failed', 'cancelled'] }),
    ApiQuery({ name: 'created_after', required: false, description: 'ISO 8601, inclusive' }),
    ApiQuery({ name: 'created_before', required: false, description: 'ISO 8601, exclusive' }),
    ApiQuery({ name: 'label', required: false, description: 'Jobs carrying this label (repeat for all of several)' }),
    ApiQuery({ name: 'limit', required: false, description: 'Page size: default 20, at most 100' }),
    ApiQuery({ name: 'cursor', required: false, description: 'next_cursor of the previous page' }),
    ApiResponse({ status: 200, type: JobListDto }),
    error(400, 'INVALID_STATUS, INVALID_TIMESTAMP, INVALID_RANGE, INVALID_LIMIT, INVALID_CURSOR, INVALID_LABEL'),
  );

export const DocsCancelJob = () =>
  applyDecorators(
    ApiOperation({ summary: 'Cancel a queued or processing job (scope jobs:write); repeating it answers the same' }),
    jobIdParam,
    ApiBody({ type: CancelRequestDto, required: false }),
    ApiResponse({ status: 200, type: CancelResultDto }),
    error(404, 'JOB_NOT_FOUND'),
    error(409, 'JOB_NOT_CANCELLABLE (completed or failed)'),
  );

export const DocsRetryJob = () =>
  applyDecorators(
    ApiOperation({ summary: 'Restart a failed job from the stage(s) that failed (scope jobs:write)' }),
    jobIdParam,
    ApiResponse({ status: 202, type: RetryResultDto }),
    error(404, 'JOB_NOT_FOUND'),
    error(409, 'JOB_NOT_RETRYABLE (the job did not fail), SOURCE_MISSING'),
  );

export const DocsCreateUpload = () =>
  applyDecorators(
    ApiOperation({ summary: 'Start a direct upload: presigned PUT URL(s) to send the file straight to storage (scope jobs:write)' }),
    ApiBody({ type: CreateUploadDto }),
    ApiResponse({ status: 201, type: DirectUploadDto }),
    error(400, 'INVALID_BODY, INVALID_FILENAME, INVALID_CONTENT_TYPE, INVALID_SIZE, EMPTY_FILE, UNKNOWN_FIELD, INVALID_JSON, JSON_TOO_DEEP and the job fields\' codes'),
    error(413, 'UPLOAD_TOO_LARGE, PAYLOAD_TOO_LARGE'),
    error(415, 'UNSUPPORTED_CONTENT_ENCODING, UNSUPPORTED_CHARSET'),
    error(503, 'STORAGE_UNAVAILABLE'),
  );

export const DocsGetUpload = () =>
  applyDecorators(
    ApiOperation({ summary: 'A direct upload: what storage received, fresh URLs for what is missing (scope jobs:read)' }),
    uploadIdParam,
    ApiResponse({ status: 200, type: DirectUploadDto }),
    error(404, 'UPLOAD_NOT_FOUND'),
  );

export const DocsCompleteUpload = () =>
  applyDecorators(
    ApiOperation({ summary: 'Complete a direct upload: the stored file becomes a job (scope jobs:write); safe to repeat' }),
    uploadIdParam,
    ApiBody({ type: CompleteUploadDto, required: false }),
    ApiResponse({ status: 202, type: UploadCompletedDto }),
    error(404, 'UPLOAD_NOT_FOUND'),
    error(409, 'the upload is not pending, or parts are missing or do not match'),
  );

export const DocsAbortUpload = () =>
  applyDecorators(
    ApiOperation({ summary: 'Abort a pending direct upload; storage drops what it received (scope jobs:write)' }),
    uploadIdParam,
    ApiResponse({ status: 200, type: DirectUploadDto }),
    error(404, 'UPLOAD_NOT_FOUND'),
  );
