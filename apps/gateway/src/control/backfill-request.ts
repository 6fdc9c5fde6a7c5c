import { HttpStatus } from '@nestjs/common';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { ApiError } from '../http/api-error';
import { parseIsoTimestamp } from '../jobs/job-list-query';

/** Which failed jobs a backfill retries: created in [from, to), of one tenant or all. */
export interface BackfillRequest {
  from: Date;
  to: Date;
  tenantId: string | null;
  dryRun: boolean;
}

export interface RawBackfillRequest {
  from?: unknown;
  to?: unknown;
  tenant?: unknown;
  dry_run?: unknown;
}

const bad = (code: string, message: string) => ApiError.badRequest(code, message);

/**
 * Validates a backfill (the admin route's JSON body, or the CLI's options): `from` and `to` ISO 8601
 * (400 INVALID_TIMESTAMP), from < to (400 INVALID_RANGE), optional `tenant`, optional boolean `dry_run`.
 */
export function parseBackfillRequest(raw: RawBackfillRequest | null | undefined): BackfillRequest {
  const body = raw ?? {};
  if (typeof body.from !== 'string' || typeof body.to !== 'string') throw bad('INVALID_RANGE', 'from and to are required ISO 8601 timestamps');
  const from = parseIsoTimestamp('from', body.from);
  const to = parseIsoTimestamp('to', body.to);
  if (from >= to) throw bad('INVALID_RANGE', 'from must be before to');
  if (body.tenant !== undefined && body.tenant !== null && (typeof body.tenant !== 'string' || !body.tenant.trim())) {
    throw bad('INVALID_TENANT', 'tenant must be a non-empty string');
  }
  if (body.dry_run !== undefined && typeof body.dry_run !== 'boolean') throw bad('INVALID_BOOLEAN', 'dry_run must be true or false');
  return { from, to, tenantId: typeof body.tenant === 'string' ? body.tenant.trim() : null, dryRun: body.dry_run === true };
}

/**
 * Narrows a backfill to what the caller's key may reach: a platform admin key any tenant (or all);
 * another admin key only its own tenant (403 PLATFORM_ADMIN_REQUIRED for another one).
 */
export function backfillScopeFor(key: AuthenticatedKey, request: BackfillRequest): BackfillRequest {
  // platformAdmin is optional on AuthenticatedKey (keys without it are tenant keys).
  if ((key as { platformAdmin?: boolean }).platformAdmin === true) return request;
  if (request.tenantId !== null && request.tenantId !== key.tenantId) {
    throw new ApiError(HttpStatus.FORBIDDEN, 'PLATFORM_ADMIN_REQUIRED', `Only a platform admin key may backfill another tenant's jobs`);
  }
  return { ...request, tenantId: key.tenantId };
}
