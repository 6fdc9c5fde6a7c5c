import { Injectable, NestMiddleware } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ApiRequestAuthenticator } from './api-request-authenticator';
import type { AuthenticatedRequest } from './auth.decorators';

/**
 * Applied to every /api path (gateway.module.ts), matched by a route or not: an unknown /api path
 * answers 401 without a key, like any other, and every /api answer carries the RateLimit headers.
 */
@Injectable()
export class ApiKeyMiddleware implements NestMiddleware {
  constructor(private readonly auth: ApiRequestAuthenticator) {}

  async use(req: AuthenticatedRequest, res: ServerResponse, next: () => void): Promise<void> {
    await this.auth.authenticate(req, res);
    next();
  }
}

/** The paths the middleware is bound to. */
export const API_PATHS = ['api', 'api/*path'];
