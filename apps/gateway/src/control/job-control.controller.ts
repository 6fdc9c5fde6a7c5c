import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { CurrentKey, RequireScope } from '../access/auth.decorators';
import { parseCancelRequest } from './job-control';
import { CancelResult, JobControlService, RetryResult } from './job-control.service';
import { ApiController, DocsCancelJob, DocsRetryJob } from '../openapi/route-docs';

/** Cancel and retry one job of the caller's tenant. */
@ApiController('jobs')
@Controller('api/v1/jobs')
export class JobControlController {
  constructor(private readonly control: JobControlService) {}

  /** Optional JSON body `{"reason": "..."}`. 200 (also when already cancelled); 409 JOB_NOT_CANCELLABLE once completed or failed. */
  @Post(':id/cancel')
  @DocsCancelJob()
  @HttpCode(HttpStatus.OK)
  @RequireScope('jobs:write')
  cancel(@Param('id') id: string, @Body() body: unknown, @CurrentKey() key: AuthenticatedKey): Promise<CancelResult> {
    return this.control.cancel(id, key.tenantId, parseCancelRequest(body).reason);
  }

  /** 202: the failed stage(s) restart; 409 JOB_NOT_RETRYABLE unless the job failed. */
  @Post(':id/retry')
  @DocsRetryJob()
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireScope('jobs:write')
  retry(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey): Promise<RetryResult> {
    return this.control.retry(id, key.tenantId);
  }
}
