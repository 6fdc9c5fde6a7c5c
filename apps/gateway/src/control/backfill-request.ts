import { HttpStatus } from '@nestjs/common';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { ApiError } from '../http/api-error';
import { isoTimestamp } from '../http/iso-timestamp';
import type { BackfillRequestDto } from './dto/job-control.dto';

/** Which failed jobs a backfill retries: created in [from, to), of one tenant or all. */
export interface BackfillRequest {
  from: Date;
  to: Date;
  tenantId: string | null;
  dryRun: boolean;
}

/** The backfill a validated BackfillRequestDto asks for. */
export function backfillRequestOf(body: BackfillRequestDto): BackfillRequest {
  return {
    from: isoTimestamp(body.from),
    to: isoTimestamp(body.to),
    tenantId: body.tenant?.trim() ?? null,
    dryRun: body.dry_run === true,
  };
}

/**
 * Narrows a backfill to what the caller's key may reach: a platform admin key any tenant (or all);
 * another admin key only its own tenant (403 PLATFORM_ADMIN_REQUIRED for another one).
 */
export function backfillScopeFor(key: AuthenticatedKey, request: BackfillRequest): BackfillRequest {
  // platformAdmin is optional on AuthenticatedKey (keys without it are tenant keys).
  if ((key as { platformAdmin?: boolean }).platformAdmin === true) return request;
  if (request.tenantId !== null && request.tenantId !== key.tenantId) {
    throw new ApiError(
      HttpStatus.FORBIDDEN,
      'PLATFORM_ADMIN_REQUIRED',
      `Only a platform admin key may backfill another tenant's jobs`,
    );
  }
  return { ...request, tenantId: key.tenantId };
}
