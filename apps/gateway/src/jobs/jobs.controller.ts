import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { AuthenticatedKey } from '../auth/api-keys.service';
import { CurrentKey, RequireScope } from '../auth/auth.decorators';
import { UploadAccepted, UploadService } from '../upload/upload.service';
import { JobQueryService } from './job-query.service';
import { JobListView, JobView } from './job-view';
import { ApiController, DocsGetJob, DocsListJobs, DocsUploadJob } from '../openapi/route-docs';

@ApiController('jobs')
@Controller('api/v1/jobs')
export class JobsController {
  constructor(
    private readonly uploads: UploadService,
    private readonly queries: JobQueryService,
  ) {}

  /** multipart/form-data: video_file + optional job fields; the body is streamed, never parsed by a middleware. */
  @Post('upload')
  @DocsUploadJob()
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireScope('jobs:write')
  upload(@Req() req: IncomingMessage, @CurrentKey() key: AuthenticatedKey): Promise<UploadAccepted> {
    return this.uploads.upload(req, key);
  }

  /** ?status=&created_after=&created_before=&label=&limit=&cursor= ; newest first; `next_cursor` until the last page. */
  @Get()
  @DocsListJobs()
  @RequireScope('jobs:read')
  list(@Query() query: Record<string, unknown>, @CurrentKey() key: AuthenticatedKey): Promise<JobListView> {
    return this.queries.list(key.tenantId, query);
  }

  @Get(':id')
  @DocsGetJob()
  @RequireScope('jobs:read')
  get(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey): Promise<JobView> {
    return this.queries.get(id, key.tenantId);
  }
}
