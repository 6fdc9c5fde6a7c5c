import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { CurrentKey, RequireScope } from '../access/auth.decorators';
import { ApiErrorResponse } from '../http/dto/api-error.dto';
import { DeadLettersService } from './dead-letters.service';
import { DeadLetterListDto, DeadLetterListQueryDto, ReplayRequestDto, ReplayResultDto } from './dto/dead-letters.dto';
import { assertPlatformAdmin } from './operator-access';

/** The consumer groups' dead letters (`tflow dlq list`, `tflow dlq replay`): a platform admin's. */
@ApiTags('admin')
@Controller('api/v1/admin/dead-letters')
@RequireScope('admin')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @ApiOperation({
    summary: "Every group's dead-letter topic and its newest dead letters, with their job's status (platform admin)",
  })
  @ApiResponse({ status: 200, type: DeadLetterListDto })
  @ApiErrorResponse(400, 'INVALID_GROUP, INVALID_JOB_ID, INVALID_LIMIT')
  @ApiErrorResponse(403, 'INSUFFICIENT_SCOPE, PLATFORM_ADMIN_REQUIRED')
  @ApiErrorResponse(404, 'DEAD_LETTER_QUEUE_NOT_FOUND')
  list(@CurrentKey() caller: AuthenticatedKey, @Query() query: DeadLetterListQueryDto): Promise<DeadLetterListDto> {
    assertPlatformAdmin(caller, 'read dead letters');
    return this.deadLetters.list(query);
  }

  /**
   * Re-drives a group's dead letters (of one job, with `job_id`) through the normal path, exactly once:
   * a stage's through the job retry (only a job still failed restarts), the tracker's back to its group
   * (its inbox applies an event once). Replaying again changes nothing.
   */
  @Post(':group/replay')
  @ApiOperation({
    summary: "Replay a consumer group's dead letters through the normal path, exactly once (platform admin)",
  })
  @ApiParam({ name: 'group', example: 'tf-transcoder', description: 'The consumer group whose dead letters to replay' })
  @ApiResponse({ status: 200, type: ReplayResultDto })
  @ApiErrorResponse(400, 'INVALID_GROUP, INVALID_JOB_ID')
  @ApiErrorResponse(403, 'INSUFFICIENT_SCOPE, PLATFORM_ADMIN_REQUIRED')
  @ApiErrorResponse(404, 'DEAD_LETTER_QUEUE_NOT_FOUND')
  @HttpCode(HttpStatus.OK)
  replay(
    @CurrentKey() caller: AuthenticatedKey,
    @Param('group') group: string,
    @Body() body: ReplayRequestDto,
  ): Promise<ReplayResultDto> {
    assertPlatformAdmin(caller, 'replay dead letters');
    return this.deadLetters.replay(group, body.job_id);
  }
}
