import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedKey } from '../../access/api-keys.service';
import { CurrentKey, RequireScope } from '../../access/auth.decorators';
import { ApiErrorResponse } from '../../http/dto/api-error.dto';
import { CompleteUploadDto, CreateUploadDto, DirectUploadDto, UploadCompletedDto } from './dto/direct-upload.dto';
import { DirectUploadsService } from './direct-uploads.service';

const uploadIdParam = ApiParam({ name: 'id', format: 'uuid', description: 'upload_id' });

/**
 * Direct uploads: the client sends the file to S3 with presigned URLs, then completes it here.
 * The create body is validated by the API validation pipe (CreateUploadDto: UNKNOWN_FIELD and the job fields' codes).
 */
@ApiTags('uploads')
@Controller('api/v1/uploads')
export class DirectUploadsController {
  constructor(private readonly uploads: DirectUploadsService) {}

  /** JSON {filename, bytes, content_type?, ...job fields} → 201 with the upload URL(s). */
  @Post()
  @ApiOperation({
    summary: 'Start a direct upload: presigned PUT URL(s) to send the file straight to storage (scope jobs:write)',
  })
  @ApiResponse({ status: 201, type: DirectUploadDto })
  @ApiErrorResponse(
    400,
    "INVALID_BODY, INVALID_FILENAME, INVALID_CONTENT_TYPE, INVALID_SIZE, EMPTY_FILE, UNKNOWN_FIELD, INVALID_JSON, JSON_TOO_DEEP and the job fields' codes",
  )
  @ApiErrorResponse(413, 'UPLOAD_TOO_LARGE, PAYLOAD_TOO_LARGE')
  @ApiErrorResponse(415, 'UNSUPPORTED_CONTENT_ENCODING, UNSUPPORTED_CHARSET')
  @ApiErrorResponse(503, 'STORAGE_UNAVAILABLE')
  @HttpCode(HttpStatus.CREATED)
  @RequireScope('jobs:write')
  create(@Body() body: CreateUploadDto, @CurrentKey() key: AuthenticatedKey): Promise<DirectUploadDto> {
    return this.uploads.create(body, key);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A direct upload: what storage received, fresh URLs for what is missing (scope jobs:read)' })
  @uploadIdParam
  @ApiResponse({ status: 200, type: DirectUploadDto })
  @ApiErrorResponse(404, 'UPLOAD_NOT_FOUND')
  @RequireScope('jobs:read')
  get(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey): Promise<DirectUploadDto> {
    return this.uploads.get(id, key.tenantId);
  }

  /** JSON {parts: [{part_number, etag}]} (multipart; nothing for a single PUT) → 202 {job_id, upload_id}. */
  @Post(':id/complete')
  @ApiOperation({
    summary: 'Complete a direct upload: the stored file becomes a job (scope jobs:write); safe to repeat',
  })
  @uploadIdParam
  @ApiBody({ type: CompleteUploadDto, required: false })
  @ApiResponse({ status: 202, type: UploadCompletedDto })
  @ApiErrorResponse(404, 'UPLOAD_NOT_FOUND')
  @ApiErrorResponse(409, 'the upload is not pending, or parts are missing or do not match')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireScope('jobs:write')
  complete(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentKey() key: AuthenticatedKey,
  ): Promise<UploadCompletedDto> {
    return this.uploads.complete(id, key, body);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Abort a pending direct upload; storage drops what it received (scope jobs:write)' })
  @uploadIdParam
  @ApiResponse({ status: 200, type: DirectUploadDto })
  @ApiErrorResponse(404, 'UPLOAD_NOT_FOUND')
  @RequireScope('jobs:write')
  abort(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey): Promise<DirectUploadDto> {
    return this.uploads.abort(id, key.tenantId);
  }
}
