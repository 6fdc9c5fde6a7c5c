import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { CurrentKey, RequireScope } from '../access/auth.decorators';
import { ApiErrorResponse } from '../http/dto/api-error.dto';
import { CancelRequestDto, CancelResultDto, RetryResultDto } from './dto/job-control.dto';
import { JobControlService } from './job-control.service';

const jobIdParam = ApiParam({ name: 'id', format: 'uuid', description: 'job_id' });

/** Cancel and retry one job of the caller's tenant. */
@ApiTags('jobs')
@Controller('api/v1/jobs')
export class JobControlController {
  constructor(private readonly control: JobControlService) {}

  /** Optional JSON body `{"reason": "..."}`. 200 (also when already cancelled); 409 JOB_NOT_CANCELLABLE once completed or failed. */
  @Post(':id/cancel')
  @ApiOperation({ summary: 'Cancel a queued or processing job (scope jobs:write); repeating it answers the same' })
  @jobIdParam
  @ApiBody({ type: CancelRequestDto, required: false })
  @ApiResponse({ status: 200, type: CancelResultDto })
  @ApiErrorResponse(400, 'INVALID_REASON')
  @ApiErrorResponse(404, 'JOB_NOT_FOUND')
  @ApiErrorResponse(409, 'JOB_NOT_CANCELLABLE (completed or failed)')
  @HttpCode(HttpStatus.OK)
  @RequireScope('jobs:write')
  cancel(
    @Param('id') id: string,
    @Body() body: CancelRequestDto,
    @CurrentKey() key: AuthenticatedKey,
  ): Promise<CancelResultDto> {
    return this.control.cancel(id, key.tenantId, body.reason?.trim() || null);
  }

  /** 202: the failed stage(s) restart; 409 JOB_NOT_RETRYABLE unless the job failed. */
  @Post(':id/retry')
  @ApiOperation({ summary: 'Restart a failed job from the stage(s) that failed (scope jobs:write)' })
  @jobIdParam
  @ApiResponse({ status: 202, type: RetryResultDto })
  @ApiErrorResponse(404, 'JOB_NOT_FOUND')
  @ApiErrorResponse(409, 'JOB_NOT_RETRYABLE (the job did not fail), SOURCE_MISSING')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireScope('jobs:write')
  retry(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey): Promise<RetryResultDto> {
    return this.control.retry(id, key.tenantId);
  }
}
