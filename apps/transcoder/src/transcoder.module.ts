import { Module } from '@nestjs/common';
import { messagingEntities, messagingMigrations } from '@tf/messaging';
import { PersistenceModule } from '@tf/persistence';
import { OpsController } from '@tf/runtime';
import { StageModule, jobCancellationMigrations } from '@tf/stage';
import { StorageModule } from '@tf/storage';
import { ChunkAssembler } from './chunked/chunk-assembler.service';
import { ChunkEncoder } from './chunked/chunk-encoder.service';
import { ChunkFanIn } from './chunked/chunk-fan-in.service';
import { settleChunkGiveUp } from './chunked/chunk-give-up';
import { ChunkRequestHandler } from './chunked/chunk-request.handler';
import { ChunkRunsRepository } from './chunked/chunk-runs.repository';
import { ChunkSplitter } from './chunked/chunk-splitter.service';
import { CreateChunkedRuns1765000000000 } from './migrations/1765000000000-create-chunked-runs';
import { SupersedeReplacedChunkedRuns1765100000000 } from './migrations/1765100000000-supersede-replaced-chunked-runs';
import { OutputStore } from './output-store';
import { TRANSCODE_STAGE, TranscodeService } from './transcode.service';
import { TranscoderConfig, transcoderConfigFromEnv } from './transcoder.config';
import { ValidatedVideoHandler } from './validated-video.handler';

@Module({
  imports: [
    PersistenceModule.forRoot({
      schema: 'transcoder',
      entities: messagingEntities,
      migrations: [
        ...messagingMigrations,
        ...jobCancellationMigrations,
        CreateChunkedRuns1765000000000,
        SupersedeReplacedChunkedRuns1765100000000,
      ],
    }),
    // Two jobs (or chunks of split jobs) at once: an encode already uses every core, but a long one must not hold every other job's.
    // Cancellable: JobCancelled reaches every instance (broadcast), and the one running the job stops its ffmpeg.
    // A part of a split transcode given up on fails its run, and its job only once (chunked/chunk-give-up.ts).
    StageModule.forRoot({
      service: 'transcoder',
      stage: TRANSCODE_STAGE,
      concurrency: 2,
      cancellable: true,
      settleGiveUp: settleChunkGiveUp,
    }),
    StorageModule.forStage(TRANSCODE_STAGE),
  ],
  controllers: [ValidatedVideoHandler, ChunkRequestHandler, OpsController],
  providers: [
    { provide: TranscoderConfig, useFactory: transcoderConfigFromEnv },
    TranscodeService,
    OutputStore,
    ChunkRunsRepository,
    ChunkSplitter,
    ChunkEncoder,
    ChunkAssembler,
    ChunkFanIn,
  ],
})
export class TranscoderModule {}
