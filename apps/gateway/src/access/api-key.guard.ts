import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { ApiError } from '../http/api-error';
import { RouteScope, hasScope } from './api-key';
import { closeIfBodyPending } from '../http/body-pending';
import { ApiRequestAuthenticator, isApiPath } from './api-request-authenticator';
import { AuthenticatedRequest, REQUIRED_SCOPE } from './auth.decorators';

/** The scope a handler needs: its own @RequireScope/@RequireValidKey, else its controller's, else jobs:read. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const requiredScope = (reflector: Reflector, handler: Function, controller: Function): RouteScope =>
  reflector.getAllAndOverride<RouteScope | undefined>(REQUIRED_SCOPE, [handler, controller]) ?? 'jobs:read';

/**
 * Global guard: every /api route needs a valid X-API-Key with the route's scope. It keys on the
 * path so that no new controller can forget it; /health and /metrics stay open, and Kafka handlers
 * are not HTTP at all. The key was normally checked (and rate limited) by ApiKeyMiddleware already;
 * the guard reuses that result, or does it itself should the middleware not be bound.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly auth: ApiRequestAuthenticator,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const http = ctx.switchToHttp();
    const req = http.getRequest<AuthenticatedRequest & { originalUrl?: string }>();
    if (!isApiPath(req.originalUrl ?? req.url)) return true;
    const res = http.getResponse<ServerResponse>();
    const key = await this.auth.authenticate(req, res);
    const scope = requiredScope(this.reflector, ctx.getHandler(), ctx.getClass());
    if (!hasScope(key.scopes, scope)) {
      closeIfBodyPending(req, res);
      throw new ApiError(HttpStatus.FORBIDDEN, 'INSUFFICIENT_SCOPE', `This API key lacks the ${scope} scope`);
    }
    return true;
  }
}
