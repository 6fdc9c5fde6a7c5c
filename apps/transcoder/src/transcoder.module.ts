import { Module } from '@nestjs/common';
import { MessagingModule, jobCancellationMigrations, jobCancellationProviders, messagingEntities, messagingMigrations } from '@tf/messaging';
import { OpsController } from '@tf/observability';
import { PersistenceModule } from '@tf/persistence';
import { StorageModule } from '@tf/storage';
import { JobProgressPublisher } from './job-progress.publisher';
import { OutputStore } from './output-store';
import { TranscodeService } from './transcode.service';
import { TranscoderConfig, transcoderConfigFromEnv } from './transcoder.config';
import { ValidatedVideoHandler } from './validated-video.handler';

@Module({
  imports: [
    PersistenceModule.forRoot({ schema: 'transcoder', entities: messagingEntities, migrations: [...messagingMigrations, ...jobCancellationMigrations] }),
    // Two jobs at once: an encode already uses every core, but a long one must not hold every other job's.
    MessagingModule.forRoot({ service: 'transcoder', groupId: 'tf-transcoder', failedStage: 'transcode', concurrency: 2 }),
    StorageModule,
  ],
  controllers: [ValidatedVideoHandler, OpsController],
  providers: [
    { provide: TranscoderConfig, useFactory: transcoderConfigFromEnv },
    TranscodeService,
    OutputStore,
    JobProgressPublisher,
    // JobCancelled reaches every instance (broadcast): the one running the job stops its ffmpeg.
    ...jobCancellationProviders,
  ],
})
export class TranscoderModule {}
