import { CreateJobCancellations1764481000050 } from './create-job-cancellations.migration';

export * from './cancel-broadcast.listener';
export * from './cancellable-runs';
export * from './create-job-cancellations.migration';
export * from './job-cancellations';

/** For stages that run long jobs (StageModule's `cancellable`): add to the app's migrations (see apps/transcoder). */
export const jobCancellationMigrations = [CreateJobCancellations1764481000050];
