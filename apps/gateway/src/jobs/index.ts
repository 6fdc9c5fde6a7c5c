// gateway/jobs: the job model, its table and the read API. What other gateway folders may import (eslint/boundaries.mjs):
// these files, the folder's *.module.ts and its dto/. Everything else here is the folder's own.
export * from './job-change';
export * from './job-labels';
export * from './job-list-query';
export * from './job-metrics';
export * from './job-outputs';
export * from './job-progress';
export * from './job-query.service';
export * from './job-record';
export * from './job-record-cache';
export * from './jobs.repository';
