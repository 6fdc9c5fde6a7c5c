import type { components, operations } from './generated/openapi';

// The admin API's shapes (/api/v1/admin: API keys, the backfill of failed jobs, dead letters), short names for the
// types generated from the gateway's OpenAPI document.
type Schemas = components['schemas'];

/** A key as the admin API shows it: never the key, never its hash. */
export type KeyView = Schemas['KeyDto'];
/** The answer to create: the key itself, shown this once. */
export type CreatedKeyView = Schemas['CreatedKeyDto'];
/** The answer to rotate: the new key (shown once) and the old one, now revoked or expiring. */
export type RotatedKeyView = Schemas['RotatedKeyDto'];
/** POST /api/v1/admin/keys */
export type CreateKeyRequest = Schemas['CreateKeyDto'];
/** POST /api/v1/admin/jobs/backfill */
export type BackfillRequest = Schemas['BackfillRequestDto'];
export type BackfillResult = Schemas['BackfillResultDto'];

/** GET /api/v1/admin/dead-letters: every group's dead-letter topic and its newest dead letters. */
export type DeadLetterList = Schemas['DeadLetterListDto'];
export type DeadLetterView = Schemas['DeadLetterDto'];
/** POST /api/v1/admin/dead-letters/:group/replay */
export type ReplayResult = Schemas['ReplayResultDto'];
/** GET /api/v1/admin/pipeline/status: per consumer group of the chain, replicas, lag, throughput, failures. */
export type PipelineStatusView = Schemas['PipelineStatusDto'];

type ListKeysQuery = NonNullable<operations['AdminKeys_list']['parameters']['query']>;
type DeadLetterQuery = NonNullable<operations['DeadLetters_list']['parameters']['query']>;

/** GET /api/v1/admin/dead-letters */
export interface ListDeadLettersOptions {
  group?: DeadLetterQuery['group'];
  jobId?: DeadLetterQuery['job_id'];
  /** The newest this many per group. */
  limit?: number;
}

/** GET /api/v1/admin/keys */
export interface ListKeysOptions {
  /** A platform admin: only this tenant's keys. */
  tenantId?: ListKeysQuery['tenant_id'];
  state?: ListKeysQuery['state'];
}
