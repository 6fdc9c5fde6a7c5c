import type { TranscodeFlowClient } from '@tf/client';

// The API's shapes as tflow sees them: read off @tf/client's public methods, so the CLI follows the
// client whichever way its types are made (hand-kept or generated from the OpenAPI document).

type Answer<M extends keyof TranscodeFlowClient> = TranscodeFlowClient[M] extends (...args: never[]) => Promise<infer T>
  ? T
  : never;
type Params<M extends keyof TranscodeFlowClient> = TranscodeFlowClient[M] extends (...args: infer P) => unknown
  ? P
  : never;

export type Job = Answer<'getJob'>;
export type JobOutput = Job['outputs'][number];
export type JobPage = Answer<'listJobs'>;
export type JobListQuery = NonNullable<Params<'listJobs'>[0]>;
export type JobEvent = Parameters<NonNullable<Params<'waitForJob'>[1]>>[0];
export type UploadRequest = NonNullable<Params<'uploadFile'>[1]>;
export type Key = Answer<'listKeys'>[number];
export type CreateKeyRequest = Params<'createKey'>[0];
export type BackfillResult = Answer<'backfillJobs'>;
export type DeadLetterList = Answer<'listDeadLetters'>;
export type ReplayResult = Answer<'replayDeadLetters'>;
export type PipelineStatus = Answer<'pipelineStatus'>;

/** The statuses after which a job changes no more. */
export const ENDED: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);
