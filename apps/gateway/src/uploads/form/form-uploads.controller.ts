import { Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { AuthenticatedKey } from '../../access/api-keys.service';
import { CurrentKey, RequireScope } from '../../access/auth.decorators';
import { ApiController, DocsUploadJob } from '../../openapi/route-docs';
import { UploadAccepted, UploadService } from './upload.service';

@ApiController('jobs')
@Controller('api/v1/jobs')
export class FormUploadsController {
  constructor(private readonly uploads: UploadService) {}

  /** multipart/form-data: video_file + optional job fields; the body is streamed, never parsed by a middleware. */
  @Post('upload')
  @DocsUploadJob()
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireScope('jobs:write')
  upload(@Req() req: IncomingMessage, @CurrentKey() key: AuthenticatedKey): Promise<UploadAccepted> {
    return this.uploads.upload(req, key);
  }
}
