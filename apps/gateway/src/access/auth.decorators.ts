import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Scope } from './api-key';
import type { AuthenticatedKey } from './api-keys.service';

export const REQUIRED_SCOPE = 'tf:required-scope';

/** The scope a route needs (routes without it need jobs:read). */
export const RequireScope = (scope: Scope) => SetMetadata(REQUIRED_SCOPE, scope);

export type AuthenticatedRequest = IncomingMessage & { apiKey?: AuthenticatedKey };

/** The caller's key, as the ApiKeyGuard found it. */
export const CurrentKey = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedKey => {
  const key = ctx.switchToHttp().getRequest<AuthenticatedRequest>().apiKey;
  if (!key) throw new Error('CurrentKey used on a route the ApiKeyGuard does not cover');
  return key;
});
