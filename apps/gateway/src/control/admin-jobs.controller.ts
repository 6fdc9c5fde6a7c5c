import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { CurrentKey, RequireScope } from '../access/auth.decorators';
import { backfillRequestOf, backfillScopeFor } from './backfill-request';
import { ApiErrorResponse } from '../http/dto/api-error.dto';
import { BackfillRequestDto, BackfillResultDto } from './dto/job-control.dto';
import { JobControlService } from './job-control.service';

/** Operator routes over many jobs (admin scope). */
@ApiTags('admin')
@Controller('api/v1/admin/jobs')
export class AdminJobsController {
  constructor(private readonly control: JobControlService) {}

  /**
   * `{"from": ISO, "to": ISO, "tenant"?: string, "dry_run"?: boolean}`: retries every failed job created
   * in [from, to) through the same retry as POST /api/v1/jobs/:id/retry. A tenant's admin key
   * reaches its own tenant's jobs; a platform admin key any tenant's (or all, without `tenant`).
   */
  @Post('backfill')
  @ApiOperation({ summary: 'Retry every failed job created in [from, to) (scope admin)' })
  @ApiResponse({ status: 200, type: BackfillResultDto })
  @ApiErrorResponse(400, 'INVALID_TIMESTAMP, INVALID_RANGE, INVALID_TENANT, INVALID_BOOLEAN')
  @ApiErrorResponse(403, "INSUFFICIENT_SCOPE, PLATFORM_ADMIN_REQUIRED (another tenant's jobs)")
  @HttpCode(HttpStatus.OK)
  @RequireScope('admin')
  backfill(@Body() body: BackfillRequestDto, @CurrentKey() key: AuthenticatedKey): Promise<BackfillResultDto> {
    return this.control.backfill(backfillScopeFor(key, backfillRequestOf(body)));
  }
}
