import { Module } from '@nestjs/common';
import { MessagingModule, jobCancellationMigrations, jobCancellationProviders, messagingEntities, messagingMigrations } from '@tf/messaging';
import { HEALTH_CHECKS, OpsController } from '@tf/observability';
import { PersistenceModule } from '@tf/persistence';
import { StorageModule } from '@tf/storage';
import { JobProgressPublisher } from './job-progress.publisher';
import { TranscribeService } from './transcribe.service';
import { TranscriberConfig, transcriberConfigFromEnv } from './transcriber.config';
import { ValidatedVideoHandler } from './validated-video.handler';
import { WhisperEngine } from './whisper-engine';

@Module({
  imports: [
    PersistenceModule.forRoot({ schema: 'transcriber', entities: messagingEntities, migrations: [...messagingMigrations, ...jobCancellationMigrations] }),
    // One job at a time: the instance has one Whisper worker, which runs one job at a time.
    MessagingModule.forRoot({ service: 'transcriber', groupId: 'tf-transcriber', failedStage: 'transcribe', concurrency: 1 }),
    StorageModule,
  ],
  controllers: [ValidatedVideoHandler, OpsController],
  providers: [
    { provide: TranscriberConfig, useFactory: transcriberConfigFromEnv },
    WhisperEngine,
    { provide: HEALTH_CHECKS, inject: [WhisperEngine], useFactory: (whisper: WhisperEngine) => [whisper.healthCheck] },
    TranscribeService,
    JobProgressPublisher,
    // JobCancelled reaches every instance (broadcast): the one transcribing the job stops its worker.
    ...jobCancellationProviders,
  ],
})
export class TranscriberModule {}
