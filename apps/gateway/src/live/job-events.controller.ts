import { Controller, Get, Param, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { CurrentKey, RequireScope } from '../access/auth.decorators';
import { JobEventsService } from './job-events.service';
import { ApiController, DocsJobEvents } from '../openapi/route-docs';

@ApiController('jobs')
@Controller('api/v1/events')
export class JobEventsController {
  constructor(private readonly events: JobEventsService) {}

  /** text/event-stream: `state` first, then `progress` / `stage` events, ending with `completed` or `failed`. */
  @Get('jobs/:id')
  @DocsJobEvents()
  @RequireScope('jobs:read')
  stream(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey, @Res() res: ServerResponse): Promise<void> {
    return this.events.stream(id, key, res);
  }
}
