import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import type { AuthenticatedKey } from '../../access/api-keys.service';
import { CurrentKey, RequireScope } from '../../access/auth.decorators';
import { DirectUploadView } from './direct-upload-view';
import { DirectUploadCompleted, DirectUploadsService } from './direct-uploads.service';
import { ApiController, DocsAbortUpload, DocsCompleteUpload, DocsCreateUpload, DocsGetUpload } from '../../openapi/route-docs';

/** Direct uploads: the client sends the file to S3 with presigned URLs, then completes it here. */
@ApiController('uploads')
@Controller('api/v1/uploads')
export class DirectUploadsController {
  constructor(private readonly uploads: DirectUploadsService) {}

  /** JSON {filename, bytes, content_type?, ...job fields} → 201 with the upload URL(s). */
  @Post()
  @DocsCreateUpload()
  @HttpCode(HttpStatus.CREATED)
  @RequireScope('jobs:write')
  create(@Body() body: unknown, @CurrentKey() key: AuthenticatedKey): Promise<DirectUploadView> {
    return this.uploads.create(body, key);
  }

  @Get(':id')
  @DocsGetUpload()
  @RequireScope('jobs:read')
  get(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey): Promise<DirectUploadView> {
    return this.uploads.get(id, key.tenantId);
  }

  /** JSON {parts: [{part_number, etag}]} (multipart; nothing for a single PUT) → 202 {job_id, upload_id}. */
  @Post(':id/complete')
  @DocsCompleteUpload()
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireScope('jobs:write')
  complete(@Param('id') id: string, @Body() body: unknown, @CurrentKey() key: AuthenticatedKey): Promise<DirectUploadCompleted> {
    return this.uploads.complete(id, key, body);
  }

  @Delete(':id')
  @DocsAbortUpload()
  @RequireScope('jobs:write')
  abort(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey): Promise<DirectUploadView> {
    return this.uploads.abort(id, key.tenantId);
  }
}
