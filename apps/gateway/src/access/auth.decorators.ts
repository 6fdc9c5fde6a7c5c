import { ExecutionContext, SetMetadata, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiExtension, ApiSecurity } from '@nestjs/swagger';
import { ApiErrorResponse } from '../http/dto/api-error.dto';
import type { IncomingMessage } from 'node:http';
import { ANY_VALID_KEY, type Scope } from './api-key';
import type { AuthenticatedKey } from './api-keys.service';

export const REQUIRED_SCOPE = 'tf:required-scope';

/** The OpenAPI security scheme of the X-API-Key header (openapi.ts declares it). */
export const API_KEY_SCHEME = 'api-key';

/**
 * The scope a route needs (routes without it need jobs:read), for the ApiKeyGuard and in the route's
 * OpenAPI description: the X-API-Key scheme, `x-required-scope` and the answers of a refused key.
 * On a class, it applies to every route of the controller. GraphQL resolvers use it too (the scope only).
 */
export const RequireScope = (scope: Scope) =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPE, scope),
    ApiSecurity(API_KEY_SCHEME),
    ApiExtension('x-required-scope', scope),
    ApiErrorResponse(401, 'MISSING_API_KEY, INVALID_API_KEY'),
    ApiErrorResponse(403, 'INSUFFICIENT_SCOPE'),
    ApiErrorResponse(429, 'RATE_LIMITED (Retry-After and RateLimit-* headers)'),
    ApiErrorResponse(500, 'INTERNAL'),
  );

/**
 * Any valid key, whatever its scopes (no 403): for what every key may know about itself, e.g. the
 * console's sign-in reading the key's own session. OpenAPI says `x-required-scope: authenticated`.
 */
export const RequireValidKey = () =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPE, ANY_VALID_KEY),
    ApiSecurity(API_KEY_SCHEME),
    ApiExtension('x-required-scope', ANY_VALID_KEY),
    ApiErrorResponse(401, 'MISSING_API_KEY, INVALID_API_KEY'),
    ApiErrorResponse(429, 'RATE_LIMITED (Retry-After and RateLimit-* headers)'),
    ApiErrorResponse(500, 'INTERNAL'),
  );

export type AuthenticatedRequest = IncomingMessage & { apiKey?: AuthenticatedKey };

/** The caller's key, as the ApiKeyGuard found it. */
export const CurrentKey = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedKey => {
  const key = ctx.switchToHttp().getRequest<AuthenticatedRequest>().apiKey;
  if (!key) throw new Error('CurrentKey used on a route the ApiKeyGuard does not cover');
  return key;
});
