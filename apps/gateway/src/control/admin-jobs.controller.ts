import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { CurrentKey, RequireScope } from '../access/auth.decorators';
import { RawBackfillRequest, backfillScopeFor, parseBackfillRequest } from './backfill-request';
import { BackfillResult, JobControlService } from './job-control.service';

/** Operator routes over many jobs (admin scope). */
@Controller('api/v1/admin/jobs')
export class AdminJobsController {
  constructor(private readonly control: JobControlService) {}

  /**
   * `{"from": ISO, "to": ISO, "tenant"?: string, "dry_run"?: boolean}`: retries every failed job created
   * in [from, to) through the same retry as POST /api/v1/jobs/:id/retry. A tenant's admin key
   * reaches its own tenant's jobs; a platform admin key any tenant's (or all, without `tenant`).
   */
  @Post('backfill')
  @HttpCode(HttpStatus.OK)
  @RequireScope('admin')
  backfill(@Body() body: RawBackfillRequest, @CurrentKey() key: AuthenticatedKey): Promise<BackfillResult> {
    return this.control.backfill(backfillScopeFor(key, parseBackfillRequest(body)));
  }
}
