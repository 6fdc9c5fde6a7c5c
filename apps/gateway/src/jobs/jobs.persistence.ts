import { JobEntity } from './job.entity';
import { CreateJobs1764470000000 } from './migrations/1764470000000-create-jobs';
import { JobsControl1764481000000 } from './migrations/1764481000000-jobs-control';
import { JobProgress1764500100000 } from './migrations/1764500100000-job-progress';

/** Entities and migrations of the job table, for the gateway's DataSource (gateway.persistence.ts). */
export const jobEntities = [JobEntity];
export const jobMigrations = [CreateJobs1764470000000, JobsControl1764481000000, JobProgress1764500100000];
