import { Module } from '@nestjs/common';
import { messagingEntities, messagingMigrations } from '@tf/messaging';
import { PersistenceModule } from '@tf/persistence';
import { HEALTH_CHECKS, OpsController } from '@tf/runtime';
import { StageModule, jobCancellationMigrations } from '@tf/stage';
import { StorageModule } from '@tf/storage';
import { TRANSCRIBE_STAGE, TranscribeService } from './transcribe.service';
import { TranscriberConfig, transcriberConfigFromEnv } from './transcriber.config';
import { ValidatedVideoHandler } from './validated-video.handler';
import { WhisperEngine } from './whisper-engine';

@Module({
  imports: [
    PersistenceModule.forRoot({
      schema: 'transcriber',
      entities: messagingEntities,
      migrations: [...messagingMigrations, ...jobCancellationMigrations],
    }),
    // One job at a time: the instance has one Whisper worker, which runs one job at a time.
    // Cancellable: JobCancelled reaches every instance (broadcast), and the one transcribing the job stops its worker.
    StageModule.forRoot({ service: 'transcriber', stage: TRANSCRIBE_STAGE, concurrency: 1, cancellable: true }),
    StorageModule.forStage(TRANSCRIBE_STAGE),
  ],
  controllers: [ValidatedVideoHandler, OpsController],
  providers: [
    { provide: TranscriberConfig, useFactory: transcriberConfigFromEnv },
    WhisperEngine,
    { provide: HEALTH_CHECKS, inject: [WhisperEngine], useFactory: (whisper: WhisperEngine) => [whisper.healthCheck] },
    TranscribeService,
  ],
})
export class TranscriberModule {}
