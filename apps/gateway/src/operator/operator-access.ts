import { HttpStatus } from '@nestjs/common';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { ApiError } from '../http/api-error';

/**
 * The operator's routes show and act on every tenant's messages and the whole pipeline: an admin key
 * of one tenant is not enough (403 PLATFORM_ADMIN_REQUIRED), only a platform admin's.
 */
export function assertPlatformAdmin(caller: AuthenticatedKey, what: string): void {
  if (caller.platformAdmin === true) return;
  throw new ApiError(
    HttpStatus.FORBIDDEN,
    'PLATFORM_ADMIN_REQUIRED',
    `Only a platform admin key may ${what}: it concerns every tenant`,
  );
}
