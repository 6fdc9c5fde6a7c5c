import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { CurrentKey, RequireScope } from '../access/auth.decorators';
import { ApiErrorResponse } from '../http/dto/api-error.dto';
import { JobListDto, JobViewDto } from './dto/job.dto';
import { JobListQueryDto } from './dto/job-list-query.dto';
import { JobQueryService } from './job-query.service';

@ApiTags('jobs')
@Controller('api/v1/jobs')
export class JobsController {
  constructor(private readonly queries: JobQueryService) {}

  /** ?status=&created_after=&created_before=&label=&limit=&cursor= ; newest first; `next_cursor` until the last page. */
  @Get()
  @ApiOperation({ summary: "The tenant's jobs, newest first, a page at a time (scope jobs:read)" })
  @ApiResponse({ status: 200, type: JobListDto })
  @ApiErrorResponse(
    400,
    'INVALID_STATUS, INVALID_TIMESTAMP, INVALID_RANGE, INVALID_LIMIT, INVALID_CURSOR, INVALID_LABEL',
  )
  @RequireScope('jobs:read')
  list(@Query() query: JobListQueryDto, @CurrentKey() key: AuthenticatedKey): Promise<JobListDto> {
    return this.queries.list(key.tenantId, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A job: status, timeline, outputs with presigned URLs (scope jobs:read)' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'job_id' })
  @ApiResponse({ status: 200, type: JobViewDto })
  @ApiErrorResponse(404, "JOB_NOT_FOUND (unknown id, or another tenant's job)")
  @RequireScope('jobs:read')
  get(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey): Promise<JobViewDto> {
    return this.queries.get(id, key.tenantId);
  }
}
