import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { CurrentKey, RequireScope } from '../access/auth.decorators';
import { ApiErrorResponse } from '../http/dto/api-error.dto';
import { JobEventDto } from './dto/job-event.dto';
import { JobEventsService } from './job-events.service';

@ApiTags('jobs')
@Controller('api/v1/events')
export class JobEventsController {
  constructor(private readonly events: JobEventsService) {}

  /** text/event-stream of every job of the tenant: what keeps a jobs list live. */
  @Get('jobs')
  @ApiOperation({
    summary: "Server-Sent Events of every job of the key's tenant (scope jobs:read)",
    description:
      "`ready` once open, then each change of any of the tenant's jobs as its own event (`created`, `progress`, `stage`, " +
      '`completed`, `failed`, `cancelled`, `retried`; data as in the job stream, without `job`), `resync` when changes may ' +
      'have been missed (reload the list), `error` (KEY_REVOKED) before it ends for a revoked key. Runs until the client ' +
      'leaves; `: heartbeat` comments keep it open.',
  })
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 200, type: JobEventDto, description: "text/event-stream; each event's data is JSON" })
  @RequireScope('jobs:read')
  streamTenant(@CurrentKey() key: AuthenticatedKey, @Res() res: ServerResponse): void {
    this.events.streamTenant(key, res);
  }

  /** text/event-stream: `state` first, then `progress` / `stage` events, ending with `completed` or `failed`. */
  @Get('jobs/:id')
  @ApiOperation({
    summary: 'Server-Sent Events of a job (scope jobs:read)',
    description:
      '`state` (data: the job, as GET /api/v1/jobs/{id}) first, then `progress` and `stage` events, ending with `completed` or `failed` ' +
      '(data carries the final job in `job`). The SSE id is the job version. `: heartbeat` comments keep idle streams open.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'job_id' })
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 200, type: JobEventDto, description: "text/event-stream; each event's data is JSON" })
  @ApiErrorResponse(404, 'JOB_NOT_FOUND')
  @RequireScope('jobs:read')
  stream(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey, @Res() res: ServerResponse): Promise<void> {
    return this.events.stream(id, key, res);
  }
}
