import { KeyState, keyState } from './api-key';
import type { ApiKeyEntity } from './api-key.entity';
import { limitsOf } from './api-keys.repository';
import type { KeyLimits } from '../limits/key-limits';

/** A key as the admin API shows it: never the key, never its hash. */
export interface KeyView {
  id: string;
  /** The key's first characters, enough to recognise it. */
  prefix: string;
  tenant_id: string;
  name: string | null;
  scopes: string[];
  platform_admin: boolean;
  state: KeyState;
  /** Overrides (null: the deployment default). */
  limits: KeyLimits;
  created_at: string;
  /** When it stopped (or, rotated with a grace period, stops) working. */
  revoked_at: string | null;
  /** The key that replaced it in a rotation. */
  replaced_by: string | null;
}

/** The answer to create and rotate: the key itself, shown this once. */
export interface CreatedKeyView extends KeyView {
  key: string;
}

export interface RotatedKeyView extends CreatedKeyView {
  /** The old key, now revoked or expiring. */
  replaced: KeyView;
}

export function toKeyView(row: ApiKeyEntity, now: Date = new Date()): KeyView {
  return {
    id: row.id,
    prefix: row.prefix,
    tenant_id: row.tenantId,
    name: row.name,
    scopes: row.scopes,
    platform_admin: row.platformAdmin,
    state: keyState(row.revokedAt, now),
    limits: limitsOf(row),
    created_at: row.createdAt.toISOString(),
    revoked_at: row.revokedAt?.toISOString() ?? null,
    replaced_by: row.replacedBy,
  };
}
