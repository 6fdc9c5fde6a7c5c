import { Module } from '@nestjs/common';
import { messagingEntities, messagingMigrations } from '@tf/messaging';
import { PersistenceModule } from '@tf/persistence';
import { OpsController } from '@tf/runtime';
import { StageModule, jobCancellationMigrations } from '@tf/stage';
import { StorageModule } from '@tf/storage';
import { OutputStore } from './output-store';
import { TRANSCODE_STAGE, TranscodeService } from './transcode.service';
import { TranscoderConfig, transcoderConfigFromEnv } from './transcoder.config';
import { ValidatedVideoHandler } from './validated-video.handler';

@Module({
  imports: [
    PersistenceModule.forRoot({
      schema: 'transcoder',
      entities: messagingEntities,
      migrations: [...messagingMigrations, ...jobCancellationMigrations],
    }),
    // Two jobs at once: an encode already uses every core, but a long one must not hold every other job's.
    // Cancellable: JobCancelled reaches every instance (broadcast), and the one running the job stops its ffmpeg.
    StageModule.forRoot({ service: 'transcoder', stage: TRANSCODE_STAGE, concurrency: 2, cancellable: true }),
    StorageModule.forStage(TRANSCODE_STAGE),
  ],
  controllers: [ValidatedVideoHandler, OpsController],
  providers: [{ provide: TranscoderConfig, useFactory: transcoderConfigFromEnv }, TranscodeService, OutputStore],
})
export class TranscoderModule {}
