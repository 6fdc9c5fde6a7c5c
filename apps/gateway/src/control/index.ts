// gateway/control: job control: cancel, retry, backfill. What other gateway folders may import (eslint/boundaries.mjs):
// these files, the folder's *.module.ts and its dto/. Everything else here is the folder's own.
export * from './backfill-request';
export * from './job-control.service';
export { RESTARTABLE_STAGES, type RestartableStage } from './job-control';
