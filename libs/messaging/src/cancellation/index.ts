import { CancelBroadcastListener } from './cancel-broadcast.listener';
import { CreateJobCancellations1764481000050 } from './create-job-cancellations.migration';
import { JobCancellations } from './job-cancellations';

export * from './cancel-broadcast.listener';
export * from './create-job-cancellations.migration';
export * from './job-cancellations';

/** For stages that run long jobs: add to the app's providers and migrations (see apps/transcoder). */
export const jobCancellationProviders = [JobCancellations, CancelBroadcastListener];
export const jobCancellationMigrations = [CreateJobCancellations1764481000050];
