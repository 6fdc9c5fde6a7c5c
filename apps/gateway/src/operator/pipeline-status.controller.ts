import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { CurrentKey, RequireScope } from '../access/auth.decorators';
import { ApiErrorResponse } from '../http/dto/api-error.dto';
import { PipelineStatusDto, PipelineStatusQueryDto } from './dto/pipeline-status.dto';
import { assertPlatformAdmin } from './operator-access';
import { PipelineOverviewService } from './pipeline-overview.service';

/** The pipeline at a glance (`tflow ops status`): a platform admin's. */
@ApiTags('admin')
@Controller('api/v1/admin/pipeline')
@RequireScope('admin')
export class PipelineStatusController {
  constructor(private readonly overview: PipelineOverviewService) {}

  /** Answers after `window_s` seconds (two readings of the committed offsets). */
  @Get('status')
  @ApiOperation({
    summary:
      'Per consumer group of the chain: replicas, lag per lane, throughput, dead letters, jobs completed and failed in the last hour (platform admin)',
  })
  @ApiResponse({ status: 200, type: PipelineStatusDto })
  @ApiErrorResponse(400, 'INVALID_WINDOW')
  @ApiErrorResponse(403, 'INSUFFICIENT_SCOPE, PLATFORM_ADMIN_REQUIRED')
  status(@CurrentKey() caller: AuthenticatedKey, @Query() query: PipelineStatusQueryDto): Promise<PipelineStatusDto> {
    assertPlatformAdmin(caller, 'read the pipeline status');
    return this.overview.status(query.window_s);
  }
}
