import { HttpStatus, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ApiError } from '../http/api-error';
import { KeyLimits, NO_OVERRIDES } from '../limits/key-limits';
import { ApiKeyEntity } from './api-key.entity';
import { Scope, assertTenantId, digestApiKey, generateApiKey, sameDigest } from './api-key';
import { ApiKeysRepository, NewApiKeyRow, limitsOf } from './api-keys.repository';

/** Who is calling: the tenant their resources belong to, what they may do, and their limits. */
export interface AuthenticatedKey {
  id: string;
  tenantId: string;
  scopes: string[];
  /** (Optional fields: fakes in tests may leave them out.) */
  prefix?: string;
  /** May manage every tenant's keys. */
  platformAdmin?: boolean;
  /** The key's own overrides (null or absent: the deployment default). */
  limits?: KeyLimits;
}

/** A key as the store found it: who it is, and when it stops authenticating (a rotation's grace; null: not revoked). */
export interface KeyLookup {
  key: AuthenticatedKey;
  revokedAt: Date | null;
}

export interface CreatedApiKey {
  /** Shown once; only its hash is stored. */
  key: string;
  id: string;
  prefix: string;
  tenantId: string;
  scopes: Scope[];
  row: ApiKeyEntity;
}

export interface RotatedApiKey extends CreatedApiKey {
  /** The replaced key: revoked_at is now, or the end of its grace period. */
  old: ApiKeyEntity;
}

export interface NewKeyOptions {
  platformAdmin?: boolean;
  limits?: KeyLimits;
}

/** What start-up did with the configured bootstrap key (`reinstated`: it had been retired and is configured again). */
type BootstrapKeyState = 'created' | 'exists' | 'reinstated' | 'revoked';

export interface BootstrapKeyOutcome {
  /** Undefined when TF_BOOTSTRAP_API_KEY is unset. */
  state?: BootstrapKeyState;
  /** Prefixes of the bootstrap keys no longer configured, revoked now. */
  retired: string[];
}

/** Longest grace period of a rotated key. */
export const MAX_ROTATION_GRACE_S = 7 * 24 * 3600;

export const keyNotFound = (id: string): ApiError => ApiError.notFound('KEY_NOT_FOUND', `No API key ${id}`);

/** Issues, checks, rotates and revokes API keys. Tenant checks (who may touch which key) are the caller's. */
@Injectable()
export class ApiKeysService {
  constructor(private readonly keys: ApiKeysRepository) {}

  async create(
    tenantId: string,
    scopes: Scope[],
    name: string | null = null,
    options: NewKeyOptions = {},
  ): Promise<CreatedApiKey> {
    assertTenantId(tenantId);
    if (scopes.length === 0) throw new Error('a key needs at least one scope');
    for (;;) {
      const { key, row } = this.newRow(tenantId, scopes, name, options);
      // A hash collision of 256 random bits will not happen; the loop only makes the insert total.
      if (await this.keys.insertIfAbsent(row)) return this.created(key, (await this.keys.findById(row.id))!);
    }
  }

  /**
   * Makes the deployment's bootstrap key (tenant, every scope, platform admin) the only working
   * bootstrap key: creates it (or brings it back if it had been retired), then retires every other
   * key made from an earlier TF_BOOTSTRAP_API_KEY. `key` null: none is configured, all are retired.
   * A key revoked through the API is never revived.
   */
  async ensureBootstrapKey(
    key: string | null,
    tenantId: string,
    scopes: Scope[],
    name: string,
  ): Promise<BootstrapKeyOutcome> {
    let state: BootstrapKeyState | undefined;
    let keepHash: string | null = null;
    if (key !== null) {
      const digest = digestApiKey(key);
      if (!digest) throw new Error('the key must look like tfk_ followed by 16..128 characters of [A-Za-z0-9_-]');
      keepHash = digest.hash;
      const before = await this.keys.findByHash(digest.hash);
      if (
        !before &&
        (await this.keys.insertIfAbsent({
          id: randomUUID(),
          prefix: digest.prefix,
          keyHash: digest.hash,
          tenantId,
          scopes,
          name,
          platformAdmin: true,
          bootstrap: true,
        }))
      ) {
        state = 'created';
      } else {
        const after = await this.keys.adoptBootstrapKey(digest.hash);
        state = after?.revokedAt ? 'revoked' : before?.revokedAt ? 'reinstated' : 'exists';
      }
    }
    return { state, retired: await this.keys.retireBootstrapKeys(keepHash) };
  }

  /** The key's identity, or null when it is malformed, unknown or revoked (its grace period over). */
  async authenticate(raw: string | undefined): Promise<AuthenticatedKey | null> {
    return (await this.lookup(raw))?.key ?? null;
  }

  /** As `authenticate`, with when the key stops working (a rotation's grace period; null: not revoked). */
  async lookup(raw: string | undefined): Promise<KeyLookup | null> {
    const digest = digestApiKey(raw);
    if (!digest) return null;
    const candidates = await this.keys.findActiveByPrefix(digest.prefix);
    const match = candidates.find((c) => sameDigest(c.keyHash, digest.hash));
    if (!match) return null;
    return {
      key: {
        id: match.id,
        prefix: match.prefix,
        tenantId: match.tenantId,
        scopes: match.scopes,
        platformAdmin: match.platformAdmin,
        limits: limitsOf(match),
      },
      revokedAt: match.revokedAt,
    };
  }

  list(tenantId?: string): Promise<ApiKeyEntity[]> {
    return this.keys.list(tenantId);
  }

  /** One key; with a tenant, another tenant's key answers 404 KEY_NOT_FOUND like an unknown one. */
  async get(id: string, tenantId?: string): Promise<ApiKeyEntity> {
    const row = await this.keys.findById(id, tenantId);
    if (!row) throw keyNotFound(id);
    return row;
  }

  /** Revokes by id or prefix (the CLI: any tenant); returns how many keys it revoked. */
  revoke(idOrPrefix: string): Promise<number> {
    return this.keys.revoke(idOrPrefix);
  }

  /** Revokes one key now (idempotent: a revoked key stays as it is); 404 outside the tenant. */
  async revokeKey(id: string, tenantId?: string): Promise<ApiKeyEntity> {
    const row = await this.keys.revokeById(id, tenantId);
    if (!row) throw keyNotFound(id);
    return row;
  }

  /**
   * Issues a new key with the old one's tenant, scopes, name, flag and limits, shown once; the old
   * key is revoked now or, with a grace period, when it ends. 409 KEY_NOT_ACTIVE for a key already
   * rotated or revoked; 404 outside the tenant.
   */
  async rotate(idOrPrefix: string, graceSeconds = 0, tenantId?: string): Promise<RotatedApiKey> {
    if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_ROTATION_GRACE_S) {
      throw ApiError.badRequest(
        'VALIDATION_FAILED',
        `grace_period_s must be an integer from 0 to ${MAX_ROTATION_GRACE_S}`,
      );
    }
    const old = await this.resolveOne(idOrPrefix, tenantId);
    const { key, row } = this.newRow(old.tenantId, old.scopes as Scope[], old.name, {
      platformAdmin: old.platformAdmin,
      limits: limitsOf(old),
    });
    const outcome = await this.keys.rotate(old.id, tenantId, graceSeconds, row);
    if (outcome === 'not_found') throw keyNotFound(idOrPrefix);
    if (outcome === 'not_active')
      throw new ApiError(HttpStatus.CONFLICT, 'KEY_NOT_ACTIVE', `API key ${old.id} was already rotated or revoked`);
    return { ...this.created(key, outcome.created), old: outcome.old };
  }

  /** The one key an id (or, for operators, a prefix) names. */
  private async resolveOne(idOrPrefix: string, tenantId?: string): Promise<ApiKeyEntity> {
    const rows = (await this.keys.findByIdOrPrefix(idOrPrefix.replace(/…$/, ''))).filter(
      (r) => tenantId === undefined || r.tenantId === tenantId,
    );
    const active = rows.filter((r) => !r.revokedAt);
    if (rows.length === 0) throw keyNotFound(idOrPrefix);
    if (rows.length === 1) return rows[0];
    if (active.length === 1) return active[0];
    throw new ApiError(
      HttpStatus.CONFLICT,
      'AMBIGUOUS_KEY',
      `${rows.length} keys match ${idOrPrefix}; name the key by its id`,
    );
  }

  private newRow(
    tenantId: string,
    scopes: Scope[],
    name: string | null,
    options: NewKeyOptions,
  ): { key: string; row: NewApiKeyRow } {
    const key = generateApiKey();
    const { prefix, hash } = digestApiKey(key)!;
    const row = {
      id: randomUUID(),
      prefix,
      keyHash: hash,
      tenantId,
      scopes,
      name,
      platformAdmin: options.platformAdmin ?? false,
      limits: options.limits ?? NO_OVERRIDES,
    };
    return { key, row };
  }

  private created(key: string, row: ApiKeyEntity): CreatedApiKey {
    return { key, id: row.id, prefix: row.prefix, tenantId: row.tenantId, scopes: row.scopes as Scope[], row };
  }
}
