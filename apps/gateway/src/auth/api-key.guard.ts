import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '../http/api-error';
import { Scope, hasScope } from './api-key';
import { ApiKeysService } from './api-keys.service';
import { AuthenticatedRequest, REQUIRED_SCOPE } from './auth.decorators';

export const API_KEY_HEADER = 'x-api-key';

/**
 * Global guard: every /api route needs a valid X-API-Key with the route's scope. It keys on the
 * path so that no new controller can forget it; /health and /metrics stay open, and Kafka handlers
 * are not HTTP at all.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!/^\/api(\/|\?|$)/.test(req.url ?? '')) return true;
    const header = req.headers[API_KEY_HEADER];
    const raw = Array.isArray(header) ? header[0] : header;
    if (!raw) throw new ApiError(HttpStatus.UNAUTHORIZED, 'MISSING_API_KEY', 'Send your API key in the X-API-Key header');
    const key = await this.keys.authenticate(raw);
    if (!key) throw new ApiError(HttpStatus.UNAUTHORIZED, 'INVALID_API_KEY', 'The API key is unknown or revoked');
    const scope = this.reflector.getAllAndOverride<Scope | undefined>(REQUIRED_SCOPE, [ctx.getHandler(), ctx.getClass()]) ?? 'jobs:read';
    if (!hasScope(key.scopes, scope)) throw new ApiError(HttpStatus.FORBIDDEN, 'INSUFFICIENT_SCOPE', `This API key lacks the ${scope} scope`);
    req.apiKey = key;
    return true;
  }
}
