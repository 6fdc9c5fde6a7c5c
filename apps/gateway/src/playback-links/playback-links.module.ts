import { Module } from '@nestjs/common';
import { PLAYBACK_CONFIG, playbackConfig } from './playback.config';
import { PlaybackLinks } from './playback-links';

/** Signing and checking playback URLs (no routes, no I/O): the job view and the playback routes use it. */
@Module({
  providers: [{ provide: PLAYBACK_CONFIG, useFactory: () => playbackConfig() }, PlaybackLinks],
  exports: [PlaybackLinks],
})
export class PlaybackLinksModule {}
