import { PLAYBACK_CONFIG, playbackConfig } from './playback.config';
import { PlaybackController, PlaybackGrantsController } from './playback.controller';
import { PlaybackService } from './playback.service';

/** Signed playback: POST /api/v1/jobs/:id/playback mints, GET /playback/... serves the playlists. */
export const playbackControllers = [PlaybackGrantsController, PlaybackController];
export const playbackProviders = [{ provide: PLAYBACK_CONFIG, useFactory: () => playbackConfig() }, PlaybackService];
