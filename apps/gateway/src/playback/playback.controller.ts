import { Controller, Get, Header, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { AuthenticatedKey } from '../auth/api-keys.service';
import { CurrentKey, RequireScope } from '../auth/auth.decorators';
import { PlaybackGrant, PlaybackService } from './playback.service';
import { publicBaseUrl } from './public-base-url';

/** POST /api/v1/jobs/:id/playback: a signed, short-lived playback URL of the tenant's job. */
@Controller('api/v1/jobs')
export class PlaybackGrantsController {
  constructor(private readonly playback: PlaybackService) {}

  @Post(':id/playback')
  @HttpCode(HttpStatus.OK)
  @RequireScope('jobs:read')
  mint(@Param('id') id: string, @Req() req: IncomingMessage, @CurrentKey() key: AuthenticatedKey): Promise<PlaybackGrant> {
    return this.playback.mint(id, key.tenantId, publicBaseUrl(req));
  }
}

const M3U8 = 'application/vnd.apple.mpegurl';

/**
 * The playlists behind a signed URL. No API key (outside /api): the token in the path is the
 * authorization, and relative URIs in the playlists keep it. Any origin may read them (a web player).
 */
@Controller('playback')
export class PlaybackController {
  constructor(private readonly playback: PlaybackService) {}

  @Get(':jobId/:token/master.m3u8')
  @Header('Content-Type', M3U8)
  @Header('Cache-Control', 'private, no-store')
  @Header('Access-Control-Allow-Origin', '*')
  master(@Param('jobId') jobId: string, @Param('token') token: string): Promise<string> {
    return this.playback.master(jobId, token);
  }

  @Get(':jobId/:token/:dir/index.m3u8')
  @Header('Content-Type', M3U8)
  @Header('Cache-Control', 'private, no-store')
  @Header('Access-Control-Allow-Origin', '*')
  media(@Param('jobId') jobId: string, @Param('token') token: string, @Param('dir') dir: string): Promise<string> {
    return this.playback.mediaPlaylist(jobId, token, dir);
  }
}
