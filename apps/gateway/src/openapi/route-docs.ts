import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiErrorDto, JobEventDto, JobViewDto, UploadAcceptedDto, UploadFormDto } from './schemas';

// OpenAPI decorators of the gateway's routes, kept here so a controller carries one line per
// handler. New routes may as well use @nestjs/swagger's decorators directly: openapi.ts fills in
// what they leave out (security, tags, the error responses), and test/api checks every route is described.

export const API_KEY_SCHEME = 'api-key';

const error = (status: number, description: string) => ApiResponse({ status, type: ApiErrorDto, description });

/** A controller of /api routes: its tag and the X-API-Key scheme. */
export const ApiController = (tag: string) => applyDecorators(ApiTags(tag), ApiSecurity(API_KEY_SCHEME));

const jobIdParam = ApiParam({ name: 'id', format: 'uuid', description: 'job_id' });

export const DocsUploadJob = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Upload a video and create a job (scope jobs:write)',
      description: 'multipart/form-data, streamed to raw-videos/{job_id}/source{ext}; the job row and VideoUploaded commit together.',
    }),
    ApiConsumes('multipart/form-data'),
    ApiBody({ type: UploadFormDto }),
    ApiResponse({ status: 202, type: UploadAcceptedDto, description: 'Accepted: the job is queued' }),
    error(400, 'NO_FILE, EMPTY_FILE, MULTIPLE_FILES, UNKNOWN_RESOLUTION, INVALID_WEBHOOK_URL, INVALID_PRIORITY, INVALID_LANGUAGE, INVALID_BOOLEAN, MALFORMED_MULTIPART, UPLOAD_ABORTED, FIELD_TOO_LARGE'),
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
