import { Controller, Get, Param, Query } from '@nestjs/common';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { CurrentKey, RequireScope } from '../access/auth.decorators';
import { JobQueryService } from './job-query.service';
import { JobListView, JobView } from './job-view';
import { ApiController, DocsGetJob, DocsListJobs } from '../openapi/route-docs';

@ApiController('jobs')
@Controller('api/v1/jobs')
export class JobsController {
  constructor(private readonly queries: JobQueryService) {}

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
