import { DynamicModule, Module } from '@nestjs/common';
import { AvroCodec, DirectPublisher, KAFKA, MessagingModule } from '@tf/messaging';
import type { Kafka } from 'kafkajs';
import { CancelBroadcastListener } from './cancellation/cancel-broadcast.listener';
import { CancellableRuns } from './cancellation/cancellable-runs';
import { JobCancellations } from './cancellation/job-cancellations';
import { jobStageOutcomes } from './job-stage-outcomes';
import { JobProgressReporter } from './progress/job-progress.reporter';
import { STAGE_OPTIONS, StageOptions } from './stage-options';
import { stageEnv } from './stage.env';
import { StageTiming } from './timing/stage-timing';

/**
 * What every job stage of the pipeline needs on top of messaging: its messages' give-up fails the job
 * (JobFailed, after the stage's own `settleGiveUp` records, if any) and a parked retry shows on the job (JobProgress); the progress reporter; StageTiming (the
 * stage's queue wait and duration metrics); and, for stages
 * with long work (`cancellable`), cancellation: JobCancellations, the per-instance broadcast listener of
 * JobCancelled and CancellableRuns. Migrations: add `jobCancellationMigrations` for a cancellable stage.
 */
@Module({})
export class StageModule {
  static forRoot(options: Omit<StageOptions, 'progressIntervalMs'> & { progressIntervalMs?: number }): DynamicModule {
    const cancellation = options.cancellable ? [JobCancellations, CancelBroadcastListener, CancellableRuns] : [];
    return {
      module: StageModule,
      imports: [
        MessagingModule.forRoot({
          service: options.service,
          groupId: options.groupId,
          concurrency: options.concurrency,
          outcomes: { ...jobStageOutcomes(options.stage), settleGiveUp: options.settleGiveUp },
        }),
      ],
      providers: [
        // A factory, so the environment is read when the app starts (inside bootstrapService), not when this file loads.
        {
          provide: STAGE_OPTIONS,
          useFactory: (): StageOptions => ({
            ...options,
            progressIntervalMs: options.progressIntervalMs ?? stageEnv().TF_PROGRESS_INTERVAL_MS,
          }),
        },
        // The stages' progress readings go straight to Kafka (only stages have a producer for it).
        {
          provide: DirectPublisher,
          inject: [KAFKA, AvroCodec],
          useFactory: (kafka: Kafka, codec: AvroCodec) => new DirectPublisher(kafka, codec, ['JobProgress']),
        },
        JobProgressReporter,
        StageTiming,
        ...cancellation,
      ],
      exports: [STAGE_OPTIONS, JobProgressReporter, StageTiming, ...cancellation],
    };
  }
}
