import { CancelledJobOutputs } from '../tracker/cancelled-job-outputs';
import { AdminJobsController } from './admin-jobs.controller';
import { JobControlController } from './job-control.controller';
import { JobControlService } from './job-control.service';

/** Job control: cancel, retry, backfill (HTTP), and the tracker's sweep of a cancelled job's outputs. */
export const jobControlControllers = [JobControlController, AdminJobsController];
export const jobControlProviders = [JobControlService, CancelledJobOutputs];
