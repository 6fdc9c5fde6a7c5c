// The admin API's shapes (/api/v1/admin): API keys and the backfill of failed jobs.

/** Overrides of a key's rate limit and quotas; null takes the deployment default. */
export interface KeyLimitsView {
  rate_limit_capacity: number | null;
  rate_limit_refill_per_s: number | null;
  quota_storage_bytes: number | null;
  quota_jobs_per_day: number | null;
  quota_concurrent_jobs: number | null;
  max_upload_bytes: number | null;
}

/** A key as the admin API shows it: never the key, never its hash. */
export interface KeyView {
  id: string;
  prefix: string;
  tenant_id: string;
  name: string | null;
  scopes: string[];
  platform_admin: boolean;
  state: 'active' | 'expiring' | 'revoked';
  limits: KeyLimitsView;
  created_at: string;
  revoked_at: string | null;
  replaced_by: string | null;
}

/** The answer to create: the key itself, shown this once. */
export interface CreatedKeyView extends KeyView {
  key: string;
}

/** The answer to rotate: the new key (shown once) and the old one, now revoked or expiring. */
export interface RotatedKeyView extends CreatedKeyView {
  replaced: KeyView;
}

/** POST /api/v1/admin/keys */
export interface CreateKeyRequest {
  tenant_id?: string;
  scopes: string[];
  name?: string | null;
  platform_admin?: boolean;
  limits?: Partial<KeyLimitsView>;
}

/** GET /api/v1/admin/keys */
export interface ListKeysOptions {
  tenantId?: string;
  state?: KeyView['state'];
}

/** POST /api/v1/admin/jobs/backfill */
export interface BackfillRequest {
  from: string;
  to: string;
  tenant?: string;
  dry_run?: boolean;
}

export interface BackfillResult {
  dry_run: boolean;
  from: string;
  to: string;
  tenant: string | null;
  matched: number;
  retried: number;
  skipped: { job_id: string; code: string; message: string }[];
  job_ids: string[];
}
