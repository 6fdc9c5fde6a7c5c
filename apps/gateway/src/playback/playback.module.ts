import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { PLAYBACK_CONFIG, playbackConfig } from './playback.config';
import { PlaybackController, PlaybackGrantsController } from './playback.controller';
import { PlaybackService } from './playback.service';

/** Signed playback: POST /api/v1/jobs/:id/playback mints, GET /playback/... serves the playlists. */
@Module({
  imports: [JobsModule],
  controllers: [PlaybackGrantsController, PlaybackController],
  providers: [{ provide: PLAYBACK_CONFIG, useFactory: () => playbackConfig() }, PlaybackService],
})
export class PlaybackModule {}
