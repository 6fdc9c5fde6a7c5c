import { Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import type { AuthenticatedKey } from '../../access/api-keys.service';
import { CurrentKey, RequireScope } from '../../access/auth.decorators';
import { ApiErrorResponse } from '../../http/dto/api-error.dto';
import { UploadAcceptedDto, UploadFormDto } from './dto/upload-form.dto';
import { UploadService } from './upload.service';

@ApiTags('jobs')
@Controller('api/v1/jobs')
export class FormUploadsController {
  constructor(private readonly uploads: UploadService) {}

  /** multipart/form-data: video_file + optional job fields; the body is streamed, never parsed by a middleware. */
  @Post('upload')
  @ApiOperation({
    summary: 'Upload a video and create a job (scope jobs:write)',
    // The id it had when JobsController served it stays (the generated client's names).
    operationId: 'Jobs_upload',
    description:
      'multipart/form-data, streamed to raw-videos/{job_id}/source{ext}; the job row and VideoUploaded commit together.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadFormDto })
  @ApiResponse({ status: 202, type: UploadAcceptedDto, description: 'Accepted: the job is queued' })
  @ApiErrorResponse(
    400,
    'NO_FILE, EMPTY_FILE, MULTIPLE_FILES, UNKNOWN_RESOLUTION, INVALID_WEBHOOK_URL, INVALID_PRIORITY, INVALID_LANGUAGE, INVALID_BOOLEAN, INVALID_LABEL, MALFORMED_MULTIPART, UPLOAD_ABORTED, FIELD_TOO_LARGE, UNKNOWN_FIELD, DUPLICATE_FIELD, TOO_MANY_FIELDS',
  )
  @ApiErrorResponse(413, 'UPLOAD_TOO_LARGE')
  @ApiErrorResponse(415, 'NOT_MULTIPART')
  @ApiErrorResponse(503, 'STORAGE_UNAVAILABLE')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireScope('jobs:write')
  upload(@Req() req: IncomingMessage, @CurrentKey() key: AuthenticatedKey): Promise<UploadAcceptedDto> {
    return this.uploads.upload(req, key);
  }
}
