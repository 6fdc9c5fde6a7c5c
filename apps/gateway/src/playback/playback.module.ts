import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { PlaybackLinksModule } from '../playback-links/playback-links.module';
import { PlaybackController, PlaybackGrantsController } from './playback.controller';
import { PlaybackService } from './playback.service';

/** Signed playback: POST /api/v1/jobs/:id/playback mints, GET /playback/... describes a token and serves the playlists. */
@Module({
  imports: [JobsModule, PlaybackLinksModule],
  controllers: [PlaybackGrantsController, PlaybackController],
  providers: [PlaybackService],
})
export class PlaybackModule {}
