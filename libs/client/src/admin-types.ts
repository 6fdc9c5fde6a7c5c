import type { components, operations } from './generated/openapi';

// The admin API's shapes (/api/v1/admin: API keys, the backfill of failed jobs), short names for the
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

type ListKeysQuery = NonNullable<operations['AdminKeys_list']['parameters']['query']>;

/** GET /api/v1/admin/keys */
export interface ListKeysOptions {
  /** A platform admin: only this tenant's keys. */
  tenantId?: ListKeysQuery['tenant_id'];
  state?: ListKeysQuery['state'];
}
