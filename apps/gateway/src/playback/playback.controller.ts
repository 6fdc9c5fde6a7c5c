import { Controller, Get, Header, HttpCode, HttpStatus, Param, Post, applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { CurrentKey, RequireScope } from '../access/auth.decorators';
import { PlaybackGrantDto } from '../playback-links/dto/playback-grant.dto';
import { PlaybackService } from './playback.service';

const M3U8 = 'application/vnd.apple.mpegurl';

/** What every signed playlist answer shares: its type, no caching, readable from any origin, its errors. */
const SignedPlaylist = (summary: string) =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiProduces(M3U8),
    ApiResponse({ status: 200, description: 'an HLS playlist' }),
    ApiResponse({ status: 403, description: 'PLAYBACK_TOKEN_INVALID, PLAYBACK_TOKEN_EXPIRED' }),
    ApiResponse({ status: 404, description: 'PLAYBACK_NOT_FOUND' }),
    Header('Content-Type', M3U8),
    Header('Cache-Control', 'private, no-store'),
    Header('Access-Control-Allow-Origin', '*'),
  );

/** POST /api/v1/jobs/:id/playback: a signed, short-lived playback URL of the tenant's job. */
@ApiTags('jobs')
@Controller('api/v1/jobs')
export class PlaybackGrantsController {
  constructor(private readonly playback: PlaybackService) {}

  @Post(':id/playback')
  @ApiOperation({
    summary:
      'A signed, short-lived HLS playback URL of the job (scope jobs:read); the token in its path is the only authorization',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'job_id' })
  @ApiResponse({ status: 200, type: PlaybackGrantDto })
  @ApiResponse({ status: 404, description: "JOB_NOT_FOUND (also another tenant's job)" })
  @ApiResponse({ status: 409, description: 'HLS_NOT_ENABLED, PLAYBACK_NOT_READY' })
  @HttpCode(HttpStatus.OK)
  @RequireScope('jobs:read')
  mint(@Param('id') id: string, @CurrentKey() key: AuthenticatedKey): Promise<PlaybackGrantDto> {
    return this.playback.mint(id, key.tenantId);
  }
}

/**
 * The playlists behind a signed URL. No API key (outside /api): the token in the path is the
 * authorization, and relative URIs in the playlists keep it. Any origin may read them (a web player).
 */
@ApiTags('playback')
@Controller('playback')
export class PlaybackController {
  constructor(private readonly playback: PlaybackService) {}

  @Get(':jobId/:token')
  @ApiOperation({
    summary:
      'What a playback token stands for (no API key): the master URL and when it expires; an embed page asks before it plays',
  })
  @ApiResponse({ status: 200, type: PlaybackGrantDto })
  @ApiResponse({ status: 403, description: 'PLAYBACK_TOKEN_INVALID, PLAYBACK_TOKEN_EXPIRED' })
  @Header('Cache-Control', 'private, no-store')
  @Header('Access-Control-Allow-Origin', '*')
  describe(@Param('jobId') jobId: string, @Param('token') token: string): PlaybackGrantDto {
    return this.playback.describe(jobId, token);
  }

  @Get(':jobId/:token/master.m3u8')
  @SignedPlaylist('The master playlist behind a signed playback URL (no API key)')
  master(@Param('jobId') jobId: string, @Param('token') token: string): Promise<string> {
    return this.playback.master(jobId, token);
  }

  @Get(':jobId/:token/:dir/index.m3u8')
  @SignedPlaylist(
    'A variant or subtitles playlist behind a signed playback URL, segment URIs presigned until the token expires',
  )
  media(@Param('jobId') jobId: string, @Param('token') token: string, @Param('dir') dir: string): Promise<string> {
    return this.playback.mediaPlaylist(jobId, token, dir);
  }
}
